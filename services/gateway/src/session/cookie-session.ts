import {
  API_TOKEN_PREFIX,
  AppError,
  type ErrorCategory,
  graphqlCodeOf,
  httpStatusOf,
  type Identity,
} from '@meshplane/platform';
import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { decodeJwt } from 'jose';
import { type AuthenticationResult, Authenticator } from '../auth/authenticator.js';
import { clearSessionCookies, csrfVerdict, readSessionCookies } from './session-cookies.js';

export type CookieAuthentication =
  | { kind: 'none' }
  | { kind: 'ok'; identity: Identity; token: string; csrfToken: string; expiresAt: Date }
  | { kind: 'refused'; error: AppError };

const CSRF_MESSAGES = {
  CSRF_TOKEN_MISSING:
    'a request authenticated by the session cookie must send the x-csrf-token header (from GET /auth/session); automation should send Authorization: Bearer instead',
  CSRF_TOKEN_MISMATCH:
    'the x-csrf-token header does not match this session; reload the console or sign in again',
} as const;

/** Sends an edge error in the GraphQL error shape (`errors[0].message`, `extensions.code`, `reason`). */
export function sendEdgeError(res: Response, error: AppError, status: number = httpStatusOf[error.category]) {
  res.status(status).json({
    errors: [
      {
        message: error.message,
        extensions: { code: graphqlCodeOf[error.category], reason: error.reason, ...error.details },
      },
    ],
  });
}

/** An AppError's category from a GraphQL `extensions.code` (internal when unknown). */
export function categoryOfCode(code: unknown): ErrorCategory {
  const entry = Object.entries(graphqlCodeOf).find(([, value]) => value === code);
  return (entry?.[0] as ErrorCategory | undefined) ?? 'internal';
}

/**
 * The cookie path of authentication (the console's): the session cookie's token is checked
 * exactly like a bearer token (same Authenticator), and only once the request proves it comes
 * from the console's own page — its `x-csrf-token` header equals the CSRF cookie (double-submit).
 */
@Injectable()
export class CookieSession {
  constructor(private readonly authenticator: Authenticator) {}

  /** `requireCsrf: false` only for reads that change nothing and answer only this origin (GET /auth/session). */
  async authenticate(
    req: Request,
    res: Response,
    correlationId: string,
    options: { requireCsrf: boolean } = { requireCsrf: true },
  ): Promise<CookieAuthentication> {
    const cookies = readSessionCookies(req);
    if (!cookies.session) return { kind: 'none' };
    if (options.requireCsrf) {
      const verdict = csrfVerdict(req, cookies);
      if (verdict !== 'ok') {
        return { kind: 'refused', error: new AppError('forbidden', verdict, CSRF_MESSAGES[verdict]) };
      }
    }
    const result: AuthenticationResult = cookies.session.startsWith(API_TOKEN_PREFIX)
      ? { ok: false, reason: 'the session cookie holds an API token; send it as Authorization: Bearer' }
      : await this.authenticator.authenticate(cookies.session, correlationId);
    if (!result.ok || !cookies.csrf) {
      clearSessionCookies(req, res);
      return {
        kind: 'refused',
        error: new AppError(
          'unauthenticated',
          (!result.ok && result.code) || 'SESSION_EXPIRED',
          result.ok ? 'the session has no CSRF cookie; sign in again' : result.reason,
        ),
      };
    }
    const exp = decodeJwt(cookies.session).exp ?? 0;
    return {
      kind: 'ok',
      identity: result.identity,
      token: cookies.session,
      csrfToken: cookies.csrf,
      expiresAt: new Date(exp * 1000),
    };
  }
}
