import { baseConfigShape, portVariable, servicePorts } from '@meshplane/platform';
import { z } from 'zod';

const subgraphUrl = (port: number) => z.url().default(`http://127.0.0.1:${port}/graphql`);

export const gatewayConfigSchema = z.object({
  ...baseConfigShape,
  GATEWAY_PORT: portVariable(servicePorts.gateway),
  TENANTS_URL: subgraphUrl(servicePorts.tenants),
  CLUSTERS_URL: subgraphUrl(servicePorts.clusters),
  POLICIES_URL: subgraphUrl(servicePorts.policies),
  TELEMETRY_URL: subgraphUrl(servicePorts.telemetry),
  /** The composed supergraph SDL; defaults to the one committed beside the gateway. */
  SUPERGRAPH_PATH: z.string().optional(),
  /** The console's built files; defaults to services/console/dist beside the gateway. */
  CONSOLE_DIR: z.string().optional(),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(50).default(12),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).max(500).default(30),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(10).default(50_000),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100).max(1_000_000).default(5_000),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
