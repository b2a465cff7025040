import { baseConfigShape, portVariable, servicePorts } from '@meshplane/platform';
import { z } from 'zod';

export const policiesConfigSchema = z.object({
  ...baseConfigShape,
  POLICIES_PORT: portVariable(servicePorts.policies),
  /** Port of the policies worker process (health and metrics). */
  POLICIES_WORKER_PORT: portVariable(4006),
  /** Tiers per tenant, the built-in `default` tier included. */
  MAX_TIERS_PER_TENANT: z.coerce.number().int().min(1).default(100),
  /** Policies per tenant, staged ones included. */
  MAX_POLICIES_PER_TENANT: z.coerce.number().int().min(1).default(5_000),
  /** Tenants whose compiler the worker keeps between compiles (pod changes then compile incrementally). */
  COMPILER_CACHE_TENANTS: z.coerce.number().int().min(0).max(10_000).default(100),
  /** Base URL of the clusters service's internal endpoints (clusters and inventory to compile). */
  CLUSTERS_INTERNAL_URL: z.url().default(`http://127.0.0.1:${servicePorts.clusters}`),
});

export type PoliciesConfig = z.infer<typeof policiesConfigSchema>;
