import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { currentContext } from '../logging/request-context.js';
import { AppError, fromUniqueViolation, graphqlCodeOf } from './error-codes.js';

const PASS_THROUGH_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
]);

/** An error graphql itself raised (validation, coercion of variables): safe to show as is. */
function isGraphQLError(error: unknown): boolean {
  return error instanceof Error && error.name === 'GraphQLError';
}

/**
 * Apollo `formatError`: client errors keep their message and get their category's code;
 * anything unexpected is logged with the correlation id and shown as an opaque internal error.
 * `counted` hears the code of every error returned (the `meshplane_errors_total` counter).
 */
export function formatGraphQLErrorWith(logger: Logger, counted: (code: string) => void = () => {}) {
  const format = formatWith(logger);
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const answer = format(formatted, error);
    const code = answer.extensions?.code;
    counted(typeof code === 'string' ? code : 'UNKNOWN');
    return answer;
  };
}

function formatWith(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    // Duck-typed, not `instanceof`: graphql ships CJS and ESM builds, and a resolver's error may
    // be wrapped by the other copy's GraphQLError.
    const original = (error as { originalError?: unknown } | undefined)?.originalError ?? error;
    const appError = original instanceof AppError ? original : fromUniqueViolation(original);
    if (appError) {
      return {
        message: appError.message,
        path: formatted.path,
        extensions: { code: graphqlCodeOf[appError.category], reason: appError.reason, ...appError.details },
      };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && PASS_THROUGH_CODES.has(code)) return formatted;
    if (isGraphQLError(original)) return formatted;
    const correlationId = currentContext()?.correlationId;
    logger.error({ err: original, correlationId, path: formatted.path }, 'unexpected error in resolver');
    return {
      message: 'Internal server error',
      path: formatted.path,
      extensions: { code: graphqlCodeOf.internal, correlationId },
    };
  };
}
