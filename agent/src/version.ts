/** The agent's version, reported in `hello.agent.version`; kept equal to package.json's. */
export const AGENT_VERSION = '0.1.0';

/** Capabilities announced in `hello`: what this build can do for the hub. */
export const AGENT_CAPABILITIES = ['inventory.v1', 'config.v1'] as const;

/** Announced only when the driver can apply config (every built-in driver can). */
export const CONFIG_CAPABILITY = 'config.v1';
