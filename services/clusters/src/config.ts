import { baseConfigShape, portVariable, servicePorts } from '@meshplane/platform';
import { z } from 'zod';

export const clustersConfigSchema = z.object({
  ...baseConfigShape,
  CLUSTERS_PORT: portVariable(servicePorts.clusters),
  /** Port of the clusters worker process (health and metrics). */
  CLUSTERS_WORKER_PORT: portVariable(4005),
  /** Public base URL of Meshplane's edge, used in install commands and manifests. */
  PUBLIC_BASE_URL: z.url().default('http://127.0.0.1:4000'),
  /** Where agents dial the hub (the agent-hub's public wss URL). */
  AGENT_HUB_PUBLIC_URL: z.url().default('ws://127.0.0.1:4010/agents'),
  AGENT_IMAGE: z.string().min(1).default('meshplane/agent:0.1.0'),
  INSTALL_TOKEN_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(24),
  AGENT_CREDENTIAL_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Clusters per tenant. */
  MAX_CLUSTERS_PER_TENANT: z.coerce.number().int().min(1).default(500),
});

export type ClustersConfig = z.infer<typeof clustersConfigSchema>;
