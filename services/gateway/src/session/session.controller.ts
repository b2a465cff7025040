import { AppError, currentContext, httpStatusOf, type Identity } from '@meshplane/platform';
import { Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { clientAddress } from '../edge/client-address.js';
import { SupergraphRuntime } from '../graphql/supergraph-runtime.js';
import { type CookieAuthentication, CookieSession, categoryOfCode, sendEdgeError } from './cookie-session.js';
import { clearSessionCookies, newCsrfToken, setSessionCookies } from './session-cookies.js';
import {
  LOGOUT_OPERATION,
  type LogoutPayload,
  SESSION_OPERATIONS,
  type SessionOperation,
  type SessionPayload,
} from './session-operations.js';

/** The JSON fields each endpoint takes; all are required strings. */
const INPUT_FIELDS = {
  login: ['tenant', 'email', 'password'],
  signUp: ['tenantName', 'email', 'password'],
  acceptInvitation: ['token', 'password'],
} as const;

const MAX_FIELD_LENGTH = 1024;

/**
 * The console's session endpoints (ARCHITECTURE: "Console session"). Login, sign-up and accepting
 * an invitation run the public `login` / `signUp` / `acceptInvitation` mutations through the
 * supergraph and move the token into an httpOnly cookie instead of the answer; the answer carries the CSRF token the console must echo. Bearer
 * callers never need these: `/graphql` with `Authorization: Bearer` is unchanged.
 */
@Controller('auth')
export class SessionController {
  constructor(
    private readonly runtime: SupergraphRuntime,
    private readonly cookies: CookieSession,
  ) {}

  @Post('login')
  @HttpCode(200)
  login(@Req() req: Request, @Res() res: Response) {
    return this.start(req, res, 'login');
  }

  @Post('signup')
  @HttpCode(200)
  signUp(@Req() req: Request, @Res() res: Response) {
    return this.start(req, res, 'signUp');
  }

  /** An invitee sets their password with the invitation token and is signed in (works once). */
  @Post('accept-invitation')
  @HttpCode(200)
  acceptInvitation(@Req() req: Request, @Res() res: Response) {
    return this.start(req, res, 'acceptInvitation');
  }

  /** The session of this browser's cookie: its CSRF token and expiry (401 when there is none). */
  @Get('session')
  async session(@Req() req: Request, @Res() res: Response) {
    res.setHeader('cache-control', 'no-store');
    const auth = await this.cookies.authenticate(req, res, correlationId(), { requireCsrf: false });
    if (auth.kind === 'none') {
      sendEdgeError(res, new AppError('unauthenticated', 'NO_SESSION', 'not signed in'));
      return;
    }
    if (auth.kind === 'refused') {
      sendEdgeError(res, auth.error);
      return;
    }
    res.json({ session: { csrfToken: auth.csrfToken, expiresAt: auth.expiresAt.toISOString() } });
  }

  /** A fresh session token (and CSRF token) for a session that has not expired yet. */
  @Post('refresh')
  @HttpCode(200)
  async refresh(@Req() req: Request, @Res() res: Response) {
    res.setHeader('cache-control', 'no-store');
    const auth = await this.cookies.authenticate(req, res, correlationId());
    if (auth.kind !== 'ok') {
      sendEdgeError(
        res,
        auth.kind === 'refused' ? auth.error : new AppError('unauthenticated', 'NO_SESSION', 'not signed in'),
      );
      return;
    }
    await this.run(req, res, 'refreshSession', {}, auth.identity);
  }

  /**
   * Ends the cookie's session on the server (the `logout` mutation through the supergraph, so its
   * token is refused from then on even where it was copied), then clears both cookies — also when
   * ending it failed, which is answered as the error it was (503 when tenants is unreachable),
   * never as a success. No CSRF header is required: ending one's own session is the safe
   * direction, SameSite=Strict keeps other sites' requests from carrying the cookie, and a tab
   * whose CSRF token went stale must still be able to log out. Idempotent: no cookie, or a session
   * already ended, answers `{ ok: true }`; a cookie that is no session token at all is refused
   * (401) and nothing is ended.
   */
  @Post('logout')
  @HttpCode(200)
  async logout(@Req() req: Request, @Res() res: Response) {
    res.setHeader('cache-control', 'no-store');
    let auth: CookieAuthentication;
    try {
      auth = await this.cookies.authenticate(req, res, correlationId(), { requireCsrf: false });
    } catch (error) {
      // Tenants could not say whether the session stands: the cookies go, the answer says so.
      clearSessionCookies(req, res);
      sendEdgeError(res, asAppError(error));
      return;
    }
    // A refused cookie was cleared by authenticate; an ended session is already logged out.
    if (auth.kind === 'refused') {
      if (auth.error.reason === 'SESSION_ENDED') res.json({ ok: true });
      else sendEdgeError(res, auth.error);
      return;
    }
    clearSessionCookies(req, res);
    if (auth.kind === 'none') {
      res.json({ ok: true });
      return;
    }
    const answer = await this.runtime.execute<{ logout: LogoutPayload }>(
      LOGOUT_OPERATION,
      {},
      { identity: auth.identity, clientIp: clientAddress(req) },
    );
    if (answer.errors?.length || !answer.data?.logout) {
      const category = categoryOfCode(answer.errors?.[0]?.extensions?.code);
      res
        .status(httpStatusOf[category])
        .json({ errors: answer.errors ?? [{ message: 'the session could not be ended; try again' }] });
      return;
    }
    res.json({ ok: true, endedAt: answer.data.logout.endedAt });
  }

  private async start(req: Request, res: Response, operation: keyof typeof INPUT_FIELDS) {
    res.setHeader('cache-control', 'no-store');
    // JSON only: an HTML form (which can post cross-site without a preflight) cannot log anyone in.
    if (!req.is('application/json')) {
      sendEdgeError(
        res,
        new AppError(
          'bad_input',
          'JSON_REQUIRED',
          'send the fields as JSON (content-type: application/json)',
        ),
        415,
      );
      return;
    }
    const body = (req.body ?? {}) as Record<string, unknown>;
    const input: Record<string, string> = {};
    for (const field of INPUT_FIELDS[operation]) {
      const value = body[field];
      if (typeof value !== 'string' || value.length === 0 || value.length > MAX_FIELD_LENGTH) {
        sendEdgeError(
          res,
          new AppError('bad_input', 'INVALID_FIELD', `${field} is required (a string of 1–1024 characters)`, {
            field,
          }),
        );
        return;
      }
      input[field] = value;
    }
    await this.run(req, res, operation, { input }, { kind: 'anonymous', correlationId: correlationId() });
  }

  /** Runs a session operation; on success sets the cookies and answers without the token. */
  private async run(
    req: Request,
    res: Response,
    operation: SessionOperation,
    variables: Record<string, unknown>,
    identity: Identity,
  ) {
    const answer = await this.runtime.execute<Record<SessionOperation, SessionPayload>>(
      SESSION_OPERATIONS[operation],
      variables,
      { identity, clientIp: clientAddress(req) },
    );
    const payload = answer.data?.[operation];
    if (answer.errors?.length || !payload) {
      const category = categoryOfCode(answer.errors?.[0]?.extensions?.code);
      res
        .status(httpStatusOf[category])
        .json({ errors: answer.errors ?? [{ message: 'no session was started' }] });
      return;
    }
    const csrfToken = newCsrfToken();
    setSessionCookies(req, res, { token: payload.token, expiresAt: new Date(payload.expiresAt), csrfToken });
    res.json({
      session: { csrfToken, expiresAt: payload.expiresAt },
      user: payload.user,
      tenant: payload.tenant,
    });
  }
}

function asAppError(error: unknown): AppError {
  return error instanceof AppError
    ? error
    : new AppError('unavailable', 'LOGOUT_FAILED', 'the session could not be ended; try again shortly');
}

function correlationId(): string {
  return currentContext()?.correlationId ?? '';
}
