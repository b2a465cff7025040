#!/usr/bin/env node
import { AgentError } from './agent.errors.js';
import { startAgent } from './agent.js';
import { type AgentConfig, loadConfig } from './config.js';
import { createLogger } from './log.js';

/**
 * `meshplane-agent`: configuration from the environment (or `--name=value` flags), then the
 * agent until SIGTERM/SIGINT. Exit codes: 0 stopped by a signal, 1 failed, 2 bad configuration,
 * 3 the hub ended the session for good (revoked, deleted, unsupported protocol): the Deployment
 * restarts the pod with the kubelet's growing back-off, so a revoked agent never hammers the hub.
 */
const EXIT_FAILED = 1;
const EXIT_CONFIG = 2;
const EXIT_TERMINATED = 3;

async function main(): Promise<number> {
  let config: AgentConfig;
  try {
    config = loadConfig(process.env, process.argv.slice(2));
  } catch (error) {
    const message = error instanceof AgentError ? error.message : String(error);
    createLogger().fatal(`invalid configuration: ${message}`);
    return EXIT_CONFIG;
  }
  const logger = createLogger({ level: config.logLevel, base: { component: 'meshplane-agent' } });
  const agent = await startAgent(config, { logger });
  const stop = (signal: string) => {
    logger.info('stopping', { signal });
    void agent.stop();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  // A parent that started us with an IPC channel (the launcher) stops us by going away.
  process.once('disconnect', () => stop('parent disconnected'));

  const exit = await agent.done;
  if (exit.kind === 'terminated') {
    logger.fatal('the hub ended this agent for good; not reconnecting', {
      code: exit.code,
      reason: exit.reason,
    });
    return EXIT_TERMINATED;
  }
  if (exit.kind === 'failed')
    return exit.error instanceof AgentError && exit.error.code === 'config_invalid'
      ? EXIT_CONFIG
      : EXIT_FAILED;
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
    // Sockets and timers are closed by now; exit in case a library keeps a handle open.
    setTimeout(() => process.exit(code), 100).unref();
  },
  (error: unknown) => {
    createLogger().fatal('agent crashed', { error: error instanceof Error ? error.message : String(error) });
    process.exit(EXIT_FAILED);
  },
);
