/**
 * Every error a client can see falls in one of these categories. Modules define their own
 * codes (`clusters.errors.ts`, ...) and tag each with a category; this file maps categories to
 * GraphQL `extensions.code` and HTTP status, exhaustively.
 */
export type ErrorCategory =
  | 'bad_input'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export const graphqlCodeOf = {
  bad_input: 'BAD_USER_INPUT',
  unauthenticated: 'UNAUTHENTICATED',
  forbidden: 'FORBIDDEN',
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  rate_limited: 'RATE_LIMITED',
  unavailable: 'SERVICE_UNAVAILABLE',
  internal: 'INTERNAL_SERVER_ERROR',
} as const satisfies Record<ErrorCategory, string>;

export const httpStatusOf = {
  bad_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
} as const satisfies Record<ErrorCategory, number>;

/** An error meant for the client: its message is shown as is, so it must hold no internals. */
export class AppError extends Error {
  constructor(
    readonly category: ErrorCategory,
    /** A stable, module-specific reason (e.g. `CLUSTER_NAME_TAKEN`). */
    readonly reason: string,
    message: string,
    /** Extra fields shown to the client (e.g. `{ field: 'name' }`). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** A module's closed set of errors: reason → category and message. */
export type ErrorCatalog<R extends string> = Record<R, { category: ErrorCategory; message: string }>;

/** Builds a throwing helper for a module's catalog: `fail('CLUSTER_NOT_FOUND', { id })`. */
export function errorFactory<R extends string>(catalog: ErrorCatalog<R>) {
  return (reason: R, details: Record<string, unknown> = {}, message?: string): AppError => {
    const entry = catalog[reason];
    return new AppError(entry.category, reason, message ?? entry.message, details);
  };
}

/** Postgres unique violation → CONFLICT naming the field, from the constraint's column list. */
export function fromUniqueViolation(error: unknown): AppError | undefined {
  const driverError = (error as { driverError?: { code?: string; detail?: string } }).driverError ?? error;
  const { code, detail } = driverError as { code?: string; detail?: string };
  if (code !== '23505') return undefined;
  const columns = /Key \(([^)]+)\)/.exec(detail ?? '')?.[1] ?? 'value';
  const field = columns
    .split(',')
    .map((c) => c.trim().replace(/^lower\((.*)\)$/, '$1'))
    .filter((c) => c !== 'tenant_id')
    .join(', ');
  return new AppError('conflict', 'ALREADY_EXISTS', `a record with this ${field} already exists`, { field });
}
