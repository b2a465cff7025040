import type { z } from 'zod';
import type { InternalIdentityCodec } from './internal-identity.js';

/** The other service could not be reached or answered with an error; the caller retries later. */
export class ServiceUnavailableError extends Error {}

/**
 * `POST <baseUrl><path>` with this service's credential and a JSON body, the answer checked
 * against `schema`. Returns undefined for 401 when `unauthorizedAsUndefined` (the endpoint's way
 * of saying "unknown credential"), throws {@link ServiceUnavailableError} for anything else that
 * is not a 2xx, a timeout or a network error.
 */
export async function postInternal<S extends z.ZodType, R = never>(
  codec: InternalIdentityCodec,
  request: { baseUrl: string; path: string; body: unknown; schema: S; timeoutMs: number },
  options: {
    unauthorizedAsUndefined?: boolean;
    /** Answers for refusals the caller tells apart, by HTTP status (e.g. 409 → 'revoked'). */
    refusals?: Partial<Record<number, R>>;
  } = {},
): Promise<z.infer<S> | undefined | R> {
  let response: Response;
  try {
    response = await fetch(new URL(request.path, request.baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await codec.serviceTokens.header()) },
      body: JSON.stringify(request.body),
      signal: AbortSignal.timeout(request.timeoutMs),
    });
  } catch (error) {
    throw new ServiceUnavailableError(error instanceof Error ? error.message : String(error));
  }
  if (response.status === 401 && options.unauthorizedAsUndefined) return undefined;
  const refusal = options.refusals?.[response.status];
  if (refusal !== undefined) return refusal;
  if (!response.ok) throw new ServiceUnavailableError(`${request.path} answered ${response.status}`);
  return request.schema.parse(await response.json());
}
