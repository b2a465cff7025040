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
});

export type TelemetryConfig = z.infer<typeof telemetryConfigSchema>;
