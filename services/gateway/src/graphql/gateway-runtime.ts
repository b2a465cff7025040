import { readFileSync } from 'node:fs';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import {
  type Identity,
  INTERNAL_IDENTITY_HEADER,
  type InternalIdentityCodec,
  type QueryLimits,
  queryLimitsRule,
} from '@meshplane/platform';
import type { GatewayConfig } from '../config.js';

/** What the edge middleware hands the runtime for each request. */
export interface EdgeContext {
  identity: Identity;
  /** The caller's address, for the tenants service's per-IP rate limits. */
  clientIp?: string;
}

export const SUBGRAPHS = ['tenants', 'clusters', 'policies', 'telemetry'] as const;

export function defaultSupergraphPath(): string {
  return new URL('../../supergraph.graphql', import.meta.url).pathname;
}

function limitsPlugin(limits: QueryLimits): GatewayPlugin {
  return {
    onValidate({ addValidationRule, context }) {
      const variables =
        (context as { params?: { variables?: Record<string, unknown> } }).params?.variables ?? {};
      addValidationRule(queryLimitsRule(limits, variables));
    },
  };
}

/**
 * The supergraph runtime (Hive Gateway, MIT): loads the committed supergraph file — no
 * introspection of the subgraphs at start-up — points each subgraph at its configured URL, and
 * forwards only the signed identity and the correlation id to them.
 */
export function createRuntime(config: GatewayConfig, codec: InternalIdentityCodec) {
  const supergraph = readFileSync(config.SUPERGRAPH_PATH ?? defaultSupergraphPath(), 'utf8');
  const urls: Record<(typeof SUBGRAPHS)[number], string> = {
    tenants: config.TENANTS_URL,
    clusters: config.CLUSTERS_URL,
    policies: config.POLICIES_URL,
    telemetry: config.TELEMETRY_URL,
  };
  return createGatewayRuntime<EdgeContext>({
    supergraph,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // Same origin only: the console is served by this gateway, automation needs no CORS, and a
    // cookie-authenticated answer must never be readable by another origin.
    cors: false,
    logging: config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace' ? 'debug' : 'error',
    transportEntries: Object.fromEntries(SUBGRAPHS.map((name) => [name, { location: urls[name] }])),
    propagateHeaders: {
      async fromClientToSubgraphs({ context }) {
        const identity: Identity = context.identity ?? { kind: 'anonymous', correlationId: '' };
        return {
          [INTERNAL_IDENTITY_HEADER]: await codec.sign(identity),
          'x-request-id': identity.correlationId,
          ...(context.clientIp ? { 'x-meshplane-client-ip': context.clientIp } : {}),
        };
      },
    },
    plugins: () => [
      limitsPlugin({
        maxDepth: config.GRAPHQL_MAX_DEPTH,
        maxAliases: config.GRAPHQL_MAX_ALIASES,
        maxCost: config.GRAPHQL_MAX_COST,
        defaultListSize: 10,
      }),
    ],
  });
}
