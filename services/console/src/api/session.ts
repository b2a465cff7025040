import { ApiError, type GraphQLErrorBody, networkError, readJson } from './api-error';

/**
 * The browser session lives in an httpOnly cookie set by the gateway (`/auth/*`); this module
 * never sees the session token. It keeps the CSRF token, which every cookie-authenticated
 * `/graphql` request must echo in `x-csrf-token` (double-submit), in memory only.
 */
export interface Session {
  csrfToken: string;
  expiresAt: string;
}

let current: Session | undefined;

export function csrfToken(): string | undefined {
  return current?.csrfToken;
}

async function call(path: string, body?: unknown): Promise<Session | undefined> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: body === undefined && path === '/auth/session' ? 'GET' : 'POST',
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(current ? { 'x-csrf-token': current.csrfToken } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw networkError(error);
  }
  const json = await readJson(response);
  if (!response.ok) {
    throw ApiError.fromErrors((json.errors as GraphQLErrorBody[] | undefined) ?? [], response.status);
  }
  return json.session as Session | undefined;
}

async function start(path: string, body?: unknown): Promise<Session> {
  const session = await call(path, body);
  if (!session) throw new ApiError('the server did not start a session', 500);
  current = session;
  return session;
}

export const sessionApi = {
  /** The session of the cookie this browser holds, if any (after a reload). */
  async resume(): Promise<Session | undefined> {
    try {
      return await start('/auth/session');
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return undefined;
      throw error;
    }
  },
  login(input: { tenant: string; email: string; password: string }) {
    return start('/auth/login', input);
  },
  signUp(input: { tenantName: string; email: string; password: string }) {
    return start('/auth/signup', input);
  },
  /** The invitee chooses a password with the invitation token, and is signed in. */
  acceptInvitation(input: { token: string; password: string }) {
    return start('/auth/accept-invitation', input);
  },
  refresh() {
    return start('/auth/refresh', {});
  },
  async logout(): Promise<void> {
    try {
      await call('/auth/logout', {});
    } finally {
      current = undefined;
    }
  },
};
