import { baseConfigShape, portVariable, servicePorts } from '@meshplane/platform';
import { z } from 'zod';

export const tenantsConfigSchema = z.object({
  ...baseConfigShape,
  TENANTS_PORT: portVariable(servicePorts.tenants),
  SESSION_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
});

export type TenantsConfig = z.infer<typeof tenantsConfigSchema>;
