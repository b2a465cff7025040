/**
 * Capabilities an agent may announce in `hello.agent.capabilities`. The hub sends a message type
 * tied to a capability only to agents that announced it.
 */

/** The agent buffers flow records and answers `telemetry.pull` with `telemetry.batch`. */
export const TELEMETRY_CAPABILITY = 'telemetry.v1';

/**
 * The agent buffers HTTP (L7) records from Envoy's access-log service and answers
 * `telemetry.http.pull` with `telemetry.http.batch`. Hubs that predate it never pull them.
 */
export const HTTP_TELEMETRY_CAPABILITY = 'telemetry.http.v1';
