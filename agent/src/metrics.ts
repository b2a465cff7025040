import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { AgentStats } from './agent.js';

/**
 * prom-client's default metrics that break Prometheus' naming rules: gauges named `_total`,
 * which `promtool check metrics` flags ("non-counter metrics should not have "_total"
 * suffix"). Each is the sum of a labelled gauge that stays (`nodejs_active_handles{type}`, ...),
 * so `sum(nodejs_active_handles)` answers the same question; the agent does not export them.
 */
export const DROPPED_DEFAULT_METRICS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
] as const;

type Read = (stats: AgentStats) => number;

/** Counters read from the agent's stats at scrape time (they only grow while the process runs). */
const COUNTERS: ReadonlyArray<readonly [name: string, help: string, read: Read]> = [
  ['meshplane_agent_connect_attempts_total', 'Connection attempts to the hub', (s) => s.connectAttempts],
  ['meshplane_agent_connects_total', 'Sockets opened to the hub', (s) => s.connects],
  ['meshplane_agent_welcomes_total', 'Sessions the hub welcomed', (s) => s.welcomes],
  ['meshplane_agent_disconnects_total', 'Sockets to the hub that closed', (s) => s.disconnects],
  [
    'meshplane_agent_heartbeat_timeouts_total',
    'Sessions ended by a missed heartbeat',
    (s) => s.heartbeatTimeouts,
  ],
  ['meshplane_agent_frames_sent_total', 'Frames sent to the hub', (s) => s.framesSent],
  ['meshplane_agent_frames_received_total', 'Frames received from the hub', (s) => s.framesReceived],
  [
    'meshplane_agent_malformed_frames_total',
    'Hub frames refused by the protocol schema',
    (s) => s.malformedFrames,
  ],
  ['meshplane_agent_hub_errors_total', 'Error frames received from the hub', (s) => s.errorsReceived],
  ['meshplane_agent_inventory_snapshots_sent_total', 'Inventory snapshots sent', (s) => s.snapshotsSent],
  ['meshplane_agent_inventory_deltas_sent_total', 'Inventory deltas sent', (s) => s.deltasSent],
  ['meshplane_agent_inventory_changes_sent_total', 'Object changes sent in deltas', (s) => s.changesSent],
  [
    'meshplane_agent_inventory_invalid_objects_total',
    'Cluster objects refused by the schema',
    (s) => s.invalidObjects,
  ],
  ['meshplane_agent_flow_records_total', 'Flow records buffered', (s) => s.flows.recorded],
  [
    'meshplane_agent_flow_records_dropped_total',
    'Flow records dropped by a full buffer',
    (s) => s.flows.dropped,
  ],
  [
    'meshplane_agent_flow_records_sent_total',
    'Flow records sent in telemetry batches',
    (s) => s.flows.recordsSent,
  ],
  ['meshplane_agent_http_records_total', 'HTTP (L7) records buffered', (s) => s.httpRequests.recorded],
  [
    'meshplane_agent_http_records_dropped_total',
    'HTTP records dropped by a full buffer',
    (s) => s.httpRequests.dropped,
  ],
  [
    'meshplane_agent_http_records_sent_total',
    'HTTP records sent in telemetry batches',
    (s) => s.httpRequests.recordsSent,
  ],
  ['meshplane_agent_envoy_als_streams_total', 'Access-log streams Envoys opened', (s) => s.envoyAls.streams],
  [
    'meshplane_agent_envoy_als_streams_refused_total',
    'Access-log streams refused (too many open)',
    (s) => s.envoyAls.streamsRefused,
  ],
  ['meshplane_agent_envoy_als_entries_total', 'HTTP access-log entries received', (s) => s.envoyAls.entries],
  [
    'meshplane_agent_envoy_als_malformed_messages_total',
    'Access-log messages that did not decode (dropped)',
    (s) => s.envoyAls.malformedMessages,
  ],
  [
    'meshplane_agent_envoy_als_oversized_messages_total',
    'Access-log messages over the size limit (dropped)',
    (s) => s.envoyAls.oversizedMessages,
  ],
  [
    'meshplane_agent_envoy_als_invalid_entries_total',
    'Access-log entries that are not a usable HTTP request (dropped)',
    (s) => s.envoyAls.invalidEntries,
  ],
  [
    'meshplane_agent_envoy_als_entries_over_limit_total',
    'Access-log entries beyond the per-message limit (dropped)',
    (s) => s.envoyAls.entriesOverLimit,
  ],
  [
    'meshplane_agent_config_pushes_received_total',
    'config.push frames received',
    (s) => s.configPushesReceived,
  ],
  [
    'meshplane_agent_config_pushes_applied_total',
    'Config pushes applied completely',
    (s) => s.configPushesApplied,
  ],
  [
    'meshplane_agent_config_pushes_incomplete_total',
    'Config pushes with at least one failed object',
    (s) => s.configPushesIncomplete,
  ],
  [
    'meshplane_agent_config_pushes_refused_total',
    'Config pushes refused as stale',
    (s) => s.configPushesRefused,
  ],
  ['meshplane_agent_credential_rotations_total', 'Credential rotations', (s) => s.credentialRotations],
];

/** Gauges read from the agent's stats at scrape time. */
const GAUGES: ReadonlyArray<readonly [name: string, help: string, read: Read]> = [
  ['meshplane_agent_inventory_objects', 'Objects in the agent inventory', (s) => s.inventoryObjects],
  [
    'meshplane_agent_flow_records_buffered',
    'Flow records held until the hub acknowledges them',
    (s) => s.flows.buffered,
  ],
  [
    'meshplane_agent_http_records_buffered',
    'HTTP records held until the hub acknowledges them',
    (s) => s.httpRequests.buffered,
  ],
  [
    'meshplane_agent_envoy_als_active_streams',
    'Access-log streams open now',
    (s) => s.envoyAls.activeStreams,
  ],
  [
    'meshplane_agent_config_applied_version',
    'Last config version applied',
    (s) => s.lastAppliedConfigVersion,
  ],
  [
    'meshplane_agent_hub_round_trip_seconds',
    'Last measured ping round trip to the hub',
    (s) => (s.lastRoundTripMs ?? Number.NaN) / 1000,
  ],
];

/** The agent's `/metrics`: Node's default metrics (less the three above) and its own counters. */
export function createAgentMetrics(stats: () => AgentStats, connected: () => boolean): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const name of DROPPED_DEFAULT_METRICS) registry.removeSingleMetric(name);
  for (const [name, help, read] of COUNTERS) {
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read(stats()));
      },
    });
  }
  for (const [name, help, read] of GAUGES) {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read(stats()));
      },
    });
  }
  new Gauge({
    name: 'meshplane_agent_connected',
    help: '1 while a welcomed session with the hub is healthy',
    registers: [registry],
    collect() {
      this.set(connected() ? 1 : 0);
    },
  });
  return registry;
}
