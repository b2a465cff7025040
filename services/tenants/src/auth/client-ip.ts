import { currentContext } from '@meshplane/platform';

/**
 * The address of the client this request serves, for per-IP rate limits. The gateway signs it
 * into the forwarded identity (taken through trusted proxies only); a request without one
 * (a direct internal call) shares the `unknown` bucket.
 */
export function currentClientIp(): string {
  return currentContext()?.clientIp ?? 'unknown';
}
