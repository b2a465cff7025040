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
  /** How long a change-set plan can be applied (`applyChangeSet`) after `planChangeSet`. */
  CHANGE_SET_PLAN_TTL_MINUTES: z.coerce.number().int().min(1).max(1_440).default(60),
  /** Plans kept per tenant; planning beyond it drops the oldest. */
  MAX_CHANGE_SET_PLANS_PER_TENANT: z.coerce.number().int().min(1).max(10_000).default(50),
  /** Tenants whose compiler the worker keeps between compiles (pod changes then compile incrementally). */
  COMPILER_CACHE_TENANTS: z.coerce.number().int().min(0).max(10_000).default(100),
  /** Base URL of the clusters service's internal endpoints (clusters and inventory to compile). */
  CLUSTERS_INTERNAL_URL: z.url().default(`http://127.0.0.1:${servicePorts.clusters}`),
});

export type PoliciesConfig = z.infer<typeof policiesConfigSchema>;
