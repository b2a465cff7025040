/** Shared set-up for the agent's specs: a quick config, a small scenario, event waiting. */
import type { EventEmitter } from 'node:events';
import type { AgentConfig } from '../config.js';
import type { StoredCredential } from '../credentials/credential-store.js';
import { parseScenario, type Scenario } from '../drivers/simulated/scenario.js';

export const SMALL_SCENARIO_YAML = `
cluster: test-1
seed: 7
podCidr: 10.50.0.0/16
nodes: { count: 2, wireguard: true }
namespaces:
  - { name: shop, labels: { env: test } }
workloads:
  - { name: web, namespace: shop, replicas: 2, labels: { app: web }, serviceAccount: web }
  - { name: db, namespace: shop, replicas: 1, labels: { app: db } }
services:
  - { name: web, namespace: shop, selector: { app: web }, ports: [{ name: http, port: 80, targetPort: 8080 }] }
  - { name: web-global, namespace: shop, federation: "app == 'web'", ports: [{ name: http, port: 80 }] }
`;

export function smallScenario(overrides: Partial<Scenario> = {}): Scenario {
  return { ...parseScenario(SMALL_SCENARIO_YAML, 'small.yaml'), ...overrides };
}

/** A config with short timers; tests inject driver and credential store through options. */
export function testConfig(hubUrl: string, overrides: Partial<AgentConfig> = {}): AgentConfig {
  return {
    hubUrl,
    apiUrl: 'http://127.0.0.1:9',
    credentialStore: { kind: 'file', path: '/nonexistent/credential' },
    driver: { kind: 'simulated', scenarioPath: '/nonexistent/scenario.yaml' },
    backoffBaseMs: 10,
    backoffCapMs: 50,
    stableSessionMs: 60_000,
    welcomeTimeoutMs: 2_000,
    deltaWindowMs: 20,
    flowBufferRecords: 10_000,
    httpBufferRecords: 10_000,
    logLevel: 'silent',
    ...overrides,
  };
}

export function storedCredential(overrides: Partial<StoredCredential> = {}): StoredCredential {
  const now = Date.now();
  return {
    clusterId: 'c-test',
    credential: 'cred-stored',
    issuedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + 3_600_000).toISOString(),
    ...overrides,
  };
}

/** The next emission of `event`, failing after a few seconds. */
export function nextEvent<E extends Record<keyof E, unknown[]>, K extends keyof E & string>(
  emitter: EventEmitter<E>,
  event: K,
  predicate: (...args: E[K]) => boolean = () => true,
  timeoutMs = 5_000,
): Promise<E[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      (emitter as unknown as EventEmitter).off(event, listener);
      reject(new Error(`timed out waiting for event ${event}`));
    }, timeoutMs);
    const listener = (...args: unknown[]) => {
      if (!predicate(...(args as E[K]))) return;
      clearTimeout(timer);
      (emitter as unknown as EventEmitter).off(event, listener);
      resolve(args as E[K]);
    };
    (emitter as unknown as EventEmitter).on(event, listener);
  });
}
