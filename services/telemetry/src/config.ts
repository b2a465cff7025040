import { baseConfigShape, portVariable, servicePorts } from '@meshplane/platform';
import { z } from 'zod';

export const telemetryConfigSchema = z.object({
  ...baseConfigShape,
  TELEMETRY_PORT: portVariable(servicePorts.telemetry),
  /** Flow retention for tenants that did not choose one. */
  DEFAULT_RETENTION_DAYS: z.coerce.number().int().min(1).max(400).default(7),
  /** Port of the telemetry worker process (health and metrics). */
  TELEMETRY_WORKER_PORT: portVariable(4007),
  /** Telemetry batches the worker stores at once. */
  FLOW_INGEST_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** Daily flow partitions created ahead of today. */
  FLOW_PARTITIONS_AHEAD_DAYS: z.coerce.number().int().min(1).max(30).default(2),
  /** How often the worker creates partitions ahead and applies retention. */
  FLOW_MAINTENANCE_INTERVAL_MS: z.coerce.number().int().min(1_000).default(3_600_000),
  /** Base URL of the policies service's internal endpoints (the tenant's policy set and zones). */
  POLICIES_INTERNAL_URL: z.url().default(`http://127.0.0.1:${servicePorts.policies}`),
  /** Base URL of the clusters service's internal endpoints (flow peers resolved by address). */
  CLUSTERS_INTERNAL_URL: z.url().default(`http://127.0.0.1:${servicePorts.clusters}`),
  /** How long the worker keeps what an address resolved to (a pod of another cluster, or nothing). */
  PEER_CACHE_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  /** Most recorded flows one what-if or compliance report reads (the answer says when it stopped). */
  INSIGHT_MAX_FLOWS: z.coerce.number().int().min(100).max(1_000_000).default(100_000),
});

export type TelemetryConfig = z.infer<typeof telemetryConfigSchema>;
