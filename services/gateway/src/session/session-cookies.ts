import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

/**
 * The console's session cookies (ARCHITECTURE: "Console session"):
 * - the session token, httpOnly, so no script on the page can read it;
 * - a CSRF token for the double-submit check, echoed by the console in `x-csrf-token`.
 * Both are SameSite=Strict, Path=/ and Secure with the `__Host-` prefix (no Domain attribute, so
 * no sibling host can set or shadow them). Secure is dropped only for a plain-HTTP request to a
 * loopback host (127.0.0.1, localhost, ::1: `npm start` and the tests), where there is no TLS and
 * the cookie cannot leave the machine; those cookies go without the prefix, which requires Secure.
 */
export const CSRF_HEADER = 'x-csrf-token';

export interface CookieNames {
  session: string;
  csrf: string;
  secure: boolean;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The host name of the request's Host header, without the port. */
function hostName(req: Request): string {
  const host = (req.headers.host ?? '').toLowerCase();
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : (host.split(':')[0] ?? '');
}

export function cookieNamesFor(req: Request): CookieNames {
  const secure = !(req.protocol === 'http' && LOOPBACK_HOSTS.has(hostName(req)));
  return secure
    ? { session: '__Host-meshplane-session', csrf: '__Host-meshplane-csrf', secure }
    : { session: 'meshplane-session', csrf: 'meshplane-csrf', secure };
}

/** The request's cookies by name (the first of each name wins, as browsers send the most specific first). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator < 1) continue;
    const name = part.slice(0, separator).trim();
    if (cookies.has(name)) continue;
    const raw = part.slice(separator + 1).trim();
    try {
      cookies.set(name, decodeURIComponent(raw));
    } catch {
      cookies.set(name, raw);
    }
  }
  return cookies;
}

export interface SessionCookies {
  names: CookieNames;
  session?: string;
  csrf?: string;
}

export function readSessionCookies(req: Request): SessionCookies {
  const names = cookieNamesFor(req);
  const cookies = parseCookies(req.headers.cookie);
  return { names, session: cookies.get(names.session), csrf: cookies.get(names.csrf) };
}

function serialize(
  name: string,
  value: string,
  options: { maxAge: number; httpOnly: boolean; secure: boolean },
) {
  return [
    `${name}=${encodeURIComponent(value)}`,
    'Path=/',
    `Max-Age=${options.maxAge}`,
    'SameSite=Strict',
    ...(options.httpOnly ? ['HttpOnly'] : []),
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

export function newCsrfToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Sets both cookies for a session that expires at `expiresAt`. */
export function setSessionCookies(
  req: Request,
  res: Response,
  session: { token: string; expiresAt: Date; csrfToken: string },
) {
  const names = cookieNamesFor(req);
  const maxAge = Math.max(0, Math.floor((session.expiresAt.getTime() - Date.now()) / 1000));
  res.append('set-cookie', [
    serialize(names.session, session.token, { maxAge, httpOnly: true, secure: names.secure }),
    serialize(names.csrf, session.csrfToken, { maxAge, httpOnly: true, secure: names.secure }),
  ]);
}

export function clearSessionCookies(req: Request, res: Response) {
  const names = cookieNamesFor(req);
  res.append('set-cookie', [
    serialize(names.session, '', { maxAge: 0, httpOnly: true, secure: names.secure }),
    serialize(names.csrf, '', { maxAge: 0, httpOnly: true, secure: names.secure }),
  ]);
}

/** Whether the request's `x-csrf-token` header matches its CSRF cookie (constant time). */
export function csrfVerdict(
  req: Request,
  cookies: SessionCookies,
): 'ok' | 'CSRF_TOKEN_MISSING' | 'CSRF_TOKEN_MISMATCH' {
  const header = req.headers[CSRF_HEADER];
  if (typeof header !== 'string' || !header) return 'CSRF_TOKEN_MISSING';
  if (!cookies.csrf) return 'CSRF_TOKEN_MISMATCH';
  const expected = Buffer.from(cookies.csrf);
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given) ? 'ok' : 'CSRF_TOKEN_MISMATCH';
}
