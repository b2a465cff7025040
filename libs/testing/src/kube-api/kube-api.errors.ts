import type { KubeStatus } from './kube-object.js';

/**
 * The closed set of failure reasons this server answers with. They are the `reason` values of
 * `metav1.Status` (k8s.io/apimachinery `StatusReason*`), paired with the HTTP code the real
 * API server sends for each.
 */
export const KUBE_API_ERROR_CODES = {
  BadRequest: 400,
  Unauthorized: 401,
  NotFound: 404,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  AlreadyExists: 409,
  Conflict: 409,
  /** A resourceVersion or continue token older than the retained history. */
  Expired: 410,
  RequestEntityTooLarge: 413,
  UnsupportedMediaType: 415,
  Invalid: 422,
  InternalError: 500,
} as const;

export type KubeApiErrorCode = keyof typeof KUBE_API_ERROR_CODES;

export type StatusDetails = NonNullable<KubeStatus['details']>;

/** A failure that the HTTP layer turns into a `Status` response (or a watch `ERROR` event). */
export class KubeApiError extends Error {
  readonly httpCode: number;

  constructor(
    readonly reason: KubeApiErrorCode,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'KubeApiError';
    this.httpCode = KUBE_API_ERROR_CODES[reason];
  }

  toStatus(): KubeStatus {
    return failureStatus(this.reason, this.message, this.details);
  }
}

export function failureStatus(
  reason: KubeApiErrorCode,
  message: string,
  details?: StatusDetails,
): KubeStatus {
  const status: KubeStatus = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code: KUBE_API_ERROR_CODES[reason],
  };
  if (details) status.details = details;
  return status;
}

/** `<plural>.<group> "<name>"`, the way the API server names an object in messages. */
export function qualifiedName(group: string, plural: string, name: string): string {
  return `${group ? `${plural}.${group}` : plural} "${name}"`;
}

export function notFound(group: string, plural: string, name: string): KubeApiError {
  return new KubeApiError('NotFound', `${qualifiedName(group, plural, name)} not found`, {
    name,
    group,
    kind: plural,
  });
}

export function alreadyExists(group: string, plural: string, name: string): KubeApiError {
  return new KubeApiError('AlreadyExists', `${qualifiedName(group, plural, name)} already exists`, {
    name,
    group,
    kind: plural,
  });
}

/** The optimistic-concurrency failure of an update whose `metadata.resourceVersion` is stale. */
export function staleResourceVersion(group: string, plural: string, name: string): KubeApiError {
  return new KubeApiError(
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedName(group, plural, name)}: the object has been modified; please apply your changes to the latest version and try again`,
    { name, group, kind: plural },
  );
}

export function tooOldResourceVersion(requested: number, oldest: number): KubeApiError {
  return new KubeApiError('Expired', `too old resource version: ${requested} (${oldest})`);
}

export function badRequest(message: string): KubeApiError {
  return new KubeApiError('BadRequest', message);
}
