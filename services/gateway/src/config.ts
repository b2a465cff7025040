import { baseConfigShape, portVariable, servicePorts } from '@meshplane/platform';
import { z } from 'zod';
import { trustedProxyEntries, trustedProxyProblem } from './edge/client-address.js';

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
  /**
   * The reverse proxies in front of the gateway (ingress, load balancer), comma-separated IPs or
   * CIDRs: `X-Forwarded-For` is followed only through these hops. Empty (the default): the
   * socket's peer is the client and the header is ignored.
   */
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .superRefine((value, context) => {
      for (const entry of trustedProxyEntries(value)) {
        const problem = trustedProxyProblem(entry);
        if (problem) context.addIssue({ code: 'custom', message: problem });
      }
    }),
  /** Per client address, per minute: `GET /install/<token>.yaml`. */
  INSTALL_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  /** Per client address, per minute: `POST /agent/v1/exchange` and `/agent/v1/rotate`. */
  AGENT_API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
