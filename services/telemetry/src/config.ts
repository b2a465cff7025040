import { baseConfigShape, portVariable, servicePorts } from '@meshplane/platform';
import { z } from 'zod';

export const telemetryConfigSchema = z.object({
  ...baseConfigShape,
  TELEMETRY_PORT: portVariable(servicePorts.telemetry),
  /** Flow retention for tenants that did not choose one. */
  DEFAULT_RETENTION_DAYS: z.coerce.number().int().min(1).max(400).default(7),
});

export type TelemetryConfig = z.infer<typeof telemetryConfigSchema>;
