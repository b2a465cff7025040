import {
  type AgentConfig,
  type AgentHandle,
  type InventoryDriver,
  MemoryCredentialStore,
  type StartAgentOptions,
  silentLogger,
  startAgent,
} from '@meshplane/agent';

/**
 * The agent's own code in the test process (so its counters can be read), with a driver the test
 * holds, a credential kept in memory and quick reconnects: the end-to-end tests, fault drills and
 * benchmarks that need an agent without a child process start it here.
 */
export function inProcessAgentConfig(
  installed: { hubUrl: string; apiUrl: string; bootstrapToken: string },
  overrides: Partial<AgentConfig> = {},
): AgentConfig {
  return {
    hubUrl: installed.hubUrl,
    apiUrl: installed.apiUrl,
    bootstrapToken: installed.bootstrapToken,
    // Unused: the credential store and the driver are given to startAgent.
    credentialStore: { kind: 'file', path: '/nonexistent' },
    driver: { kind: 'simulated', scenarioPath: '/nonexistent' },
    backoffBaseMs: 50,
    backoffCapMs: 300,
    stableSessionMs: 60_000,
    welcomeTimeoutMs: 5_000,
    deltaWindowMs: 20,
    flowBufferRecords: 100_000,
    httpBufferRecords: 100_000,
    logLevel: 'silent',
    ...overrides,
  };
}

export function startInProcessAgent(
  config: AgentConfig,
  driver: InventoryDriver,
  options: StartAgentOptions = {},
): Promise<AgentHandle> {
  return startAgent(config, {
    driver,
    credentialStore: new MemoryCredentialStore(),
    logger: silentLogger,
    ...options,
  });
}
