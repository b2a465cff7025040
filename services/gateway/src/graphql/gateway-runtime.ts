import { readFileSync } from 'node:fs';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import {
  finiteNumbersRule,
  type Identity,
  INTERNAL_IDENTITY_HEADER,
  type InternalIdentityCodec,
  nulStringError,
  nulStringsRule,
  nulStringVariable,
  type QueryLimits,
  queryCost,
  queryCostError,
  queryShapeRule,
} from '@meshplane/platform';
import { GraphQLError } from 'graphql';
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

/**
 * The edge's limits. Tokens are counted by the parser and depth and aliases by a validation rule:
 * both depend on the text only, so the runtime's parse and validation caches may keep them. The
 * cost depends on the variables too (`first: $n`), so it is computed for every request at
 * execution — a cached verdict for the same text would let `first: 1` vouch for `first: 1000`,
 * and one costly request refuse the text for everyone. Numbers too large for a double are
 * refused in literals here, in variables by the edge middleware (which parsed the body). Strings
 * holding U+0000 (which PostgreSQL cannot store) are refused in literals and in variables here,
 * whichever door the request came through (`/graphql` or the console's `/auth/`).
 */
function limitsPlugin(limits: QueryLimits): GatewayPlugin {
  return {
    onParse({ setParseFn, parseFn }) {
      setParseFn((source, options) => parseFn(source, { ...options, maxTokens: limits.maxTokens }));
    },
    onValidate({ addValidationRule }) {
      addValidationRule(queryShapeRule(limits));
      addValidationRule(finiteNumbersRule);
      addValidationRule(nulStringsRule);
    },
    onExecute({ args, setResultAndStopExecution }) {
      const nul = nulStringVariable(args.variableValues ?? {});
      if (nul !== undefined) {
        setResultAndStopExecution({ errors: [nulStringError(`variables.${nul}`)] });
        return;
      }
      const cost = queryCost(args.schema, args.document, args.variableValues, args.operationName, limits);
      if (cost > limits.maxCost)
        setResultAndStopExecution({ errors: [queryCostError(cost, limits.maxCost)] });
    },
  };
}

/**
 * Codes for the errors the runtime itself raises while reading a request's variables (a wrong
 * type, a missing required variable): BAD_USER_INPUT, as every other error about the caller's
 * input has, instead of none.
 */
function requestErrorCodesPlugin(): GatewayPlugin {
  return {
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if (!('errors' in result) || result.errors === undefined || result.data !== undefined) return;
          setResult({
            ...result,
            errors: result.errors.map((error) =>
              error.extensions?.code === undefined &&
              (error.message.startsWith('Variable "$') ||
                error.message.startsWith('Too many errors processing variables'))
                ? new GraphQLError(error.message, {
                    nodes: error.nodes,
                    extensions: { ...error.extensions, code: 'BAD_USER_INPUT' },
                  })
                : error,
            ),
          });
        },
      };
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
          // The client's address is signed with the identity: a plain header could be set by anyone.
          [INTERNAL_IDENTITY_HEADER]: await codec.sign({ ...identity, clientIp: context.clientIp }),
          'x-request-id': identity.correlationId,
        };
      },
    },
    plugins: () => [
      requestErrorCodesPlugin(),
      limitsPlugin({
        maxDepth: config.GRAPHQL_MAX_DEPTH,
        maxAliases: config.GRAPHQL_MAX_ALIASES,
        maxCost: config.GRAPHQL_MAX_COST,
        maxTokens: config.GRAPHQL_MAX_TOKENS,
        defaultListSize: 10,
      }),
    ],
  });
}
