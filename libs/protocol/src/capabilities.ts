/**
 * Capabilities an agent may announce in `hello.agent.capabilities`. The hub sends a message type
 * tied to a capability only to agents that announced it.
 */

/** The agent buffers flow records and answers `telemetry.pull` with `telemetry.batch`. */
export const TELEMETRY_CAPABILITY = 'telemetry.v1';
