import { readdirSync } from 'node:fs';
import { type ControlPlane, gql, STRONG_PASSWORD, signUpTenant, startControlPlane } from '@meshplane/testing';
import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The console on the gateway's origin: its static files and their caching and security headers,
 * and the cookie session (httpOnly cookie + double-submit CSRF token) beside the unchanged bearer
 * path. Against the real gateway, started by the launcher with the console built by `npm test`.
 */

const consoleDist = new URL('../../services/console/dist/', import.meta.url).pathname;
const hashedScript = () => readdirSync(`${consoleDist}assets`).find((name) => name.endsWith('.js'))!;
const ME = '{ me { role user { email } tenant { slug } } }';
/** How long a token replaced by a refresh keeps working here (the tenants service's setting). */
const GRACE_MS = 4_000;
const ENDED_BY_LOGOUT = 'this session was ended by logging out; log in again';
const LOGOUT = 'mutation { logout { sessionId endedAt } }';

/** The `name=value` pairs of a response's Set-Cookie headers, by name, with their attributes. */
function setCookies(response: request.Response): Map<string, string> {
  const header = response.headers['set-cookie'] as unknown as string[] | undefined;
  return new Map((header ?? []).map((cookie) => [cookie.slice(0, cookie.indexOf('=')), cookie]));
}

function cookieHeader(response: request.Response): string {
  return [...setCookies(response).values()].map((cookie) => cookie.split(';')[0]).join('; ');
}

describe('the console on the gateway', () => {
  let cp: ControlPlane;

  beforeAll(async () => {
    cp = await startControlPlane({ SESSION_REFRESH_GRACE_SECONDS: String(GRACE_MS / 1000) });
  });

  afterAll(async () => {
    await cp?.stop();
  });

  /** Rows of tenants.ended_sessions (what logging out and refreshing record). */
  async function endedSessionCount(): Promise<number> {
    const client = new pg.Client({ connectionString: cp.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT count(*)::int AS n FROM tenants.ended_sessions');
      return rows[0].n as number;
    } finally {
      await client.end();
    }
  }

  describe('static files', () => {
    it('serves index.html at / with no-cache, a CSP without inline scripts and the security headers', async () => {
      const response = await request(cp.gatewayUrl).get('/').expect(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.text).toContain('<div id="root"></div>');
      const csp = response.headers['content-security-policy'];
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['x-powered-by']).toBeUndefined();
    });

    it('caches hashed assets immutably for a year, with the right content type', async () => {
      const response = await request(cp.gatewayUrl).get(`/assets/${hashedScript()}`).expect(200);
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
      const again = await request(cp.gatewayUrl)
        .get(`/assets/${hashedScript()}`)
        .set('if-none-match', response.headers.etag!);
      expect(again.status).toBe(304);
    });

    it('answers console routes with index.html, but never API paths or missing files', async () => {
      for (const route of ['/clusters', '/login', '/signup', '/invitation', '/some/deep/route']) {
        const response = await request(cp.gatewayUrl).get(route);
        expect([route, response.status, response.headers['cache-control']]).toEqual([route, 200, 'no-cache']);
        expect(response.text).toContain('<div id="root"></div>');
      }
      const notConsole = {
        '/assets/index-missing.js': 404,
        '/favicon.ico': 404,
        '/install/not-a-token.yaml': 404,
        '/auth/unknown': 404,
        '/agent/v1/unknown': 404,
      };
      for (const [path, status] of Object.entries(notConsole)) {
        const response = await request(cp.gatewayUrl).get(path);
        expect([path, response.status]).toEqual([path, status]);
        expect(response.text).not.toContain('<div id="root">');
      }
      expect((await request(cp.gatewayUrl).get('/healthz').expect(200)).body).toEqual({ status: 'ok' });
      const graphql = await request(cp.gatewayUrl).get('/graphql?query={__typename}');
      expect(graphql.body).toEqual({ data: { __typename: 'Query' } });
    });
  });

  describe('cookie session', () => {
    const tenantName = `Console ${Date.now().toString(36)}`;
    const email = 'owner@console.example';
    let slug: string;

    /** Logs in through the console's endpoint; the cookies as a browser would send them back. */
    const logIn = async () => {
      const login = await request(cp.gatewayUrl)
        .post('/auth/login')
        .send({ tenant: slug, email, password: STRONG_PASSWORD })
        .expect(200);
      return { cookie: cookieHeader(login), csrf: login.body.session.csrfToken as string };
    };

    it('sign-up sets an httpOnly SameSite=Strict session cookie and answers without the token', async () => {
      const response = await request(cp.gatewayUrl)
        .post('/auth/signup')
        .send({ tenantName, email, password: STRONG_PASSWORD })
        .expect(200);
      slug = response.body.tenant.slug;
      expect(response.body.session.csrfToken).toMatch(/^[\w-]{43}$/);
      expect(JSON.stringify(response.body)).not.toMatch(/eyJ/); // no JWT in the body
      const cookies = setCookies(response);
      // 127.0.0.1 over plain HTTP: the one case the cookies go without Secure and the __Host- prefix.
      const session = cookies.get('meshplane-session')!;
      expect(session).toMatch(/^meshplane-session=eyJ/);
      expect(session).toContain('HttpOnly');
      expect(session).toContain('SameSite=Strict');
      expect(session).toContain('Path=/');
      expect(session).not.toContain('Secure');
      expect(cookies.get('meshplane-csrf')).toContain('HttpOnly');
    });

    it('a session for a non-loopback host is Secure with the __Host- prefix', async () => {
      const response = await request(cp.gatewayUrl)
        .post('/auth/login')
        .set('host', 'console.meshplane.example')
        .send({ tenant: slug, email, password: STRONG_PASSWORD })
        .expect(200);
      const session = setCookies(response).get('__Host-meshplane-session')!;
      expect(session).toContain('Secure');
      expect(session).toContain('HttpOnly');
      expect(session).toContain('SameSite=Strict');
      expect(session).not.toContain('Domain=');
    });

    it('log in → /graphql with the cookie and the CSRF header works; without the header it is refused', async () => {
      const { cookie, csrf } = await logIn();

      const me = await gql<{ me: { role: string; user: { email: string } } }>(
        cp.gatewayUrl,
        ME,
        {},
        undefined,
        {
          cookie,
          'x-csrf-token': csrf,
        },
      );
      expect(me.data?.me).toMatchObject({ role: 'owner', user: { email } });

      const missing = await gql(cp.gatewayUrl, ME, {}, undefined, { cookie });
      expect(missing.status).toBe(403);
      expect(missing.data).toBeUndefined();
      expect(missing.errors?.[0]?.extensions).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'CSRF_TOKEN_MISSING',
      });
      expect(missing.errors?.[0]?.message).toMatch(/x-csrf-token/);

      const wrong = await gql(cp.gatewayUrl, ME, {}, undefined, {
        cookie,
        'x-csrf-token': `${csrf.slice(1)}x`,
      });
      expect(wrong.status).toBe(403);
      expect(wrong.errors?.[0]?.extensions).toMatchObject({ reason: 'CSRF_TOKEN_MISMATCH' });

      // A mutation is refused the same way, and changes nothing.
      const register = await gql(
        cp.gatewayUrl,
        'mutation { registerCluster(input: { name: "csrf-victim" }) { installCommand } }',
        {},
        undefined,
        { cookie },
      );
      expect(register.status).toBe(403);
      const clusters = await gql<{ clusters: unknown[] }>(
        cp.gatewayUrl,
        '{ clusters { id } }',
        {},
        undefined,
        {
          cookie,
          'x-csrf-token': csrf,
        },
      );
      expect(clusters.data?.clusters).toEqual([]);

      // After a reload the console asks for its CSRF token; the cookie alone answers that GET.
      const resumed = await request(cp.gatewayUrl).get('/auth/session').set('cookie', cookie).expect(200);
      expect(resumed.body.session.csrfToken).toBe(csrf);
      expect(resumed.headers['cache-control']).toBe('no-store');
    });

    it('refresh issues a new session cookie; a tampered cookie is refused and cleared', async () => {
      const { cookie, csrf } = await logIn();
      await request(cp.gatewayUrl).post('/auth/refresh').set('cookie', cookie).send({}).expect(403);
      const refreshed = await request(cp.gatewayUrl)
        .post('/auth/refresh')
        .set('cookie', cookie)
        .set('x-csrf-token', csrf)
        .send({})
        .expect(200);
      expect(refreshed.body.session.csrfToken).not.toBe(csrf);
      expect(setCookies(refreshed).get('meshplane-session')).toMatch(/^meshplane-session=eyJ/);

      const tampered = cookie.replace(/(meshplane-session=[^;]*)\.[^.;]*/, '$1.forged');
      const refused = await gql(cp.gatewayUrl, ME, {}, undefined, { cookie: tampered, 'x-csrf-token': csrf });
      expect(refused.status).toBe(401);
      expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('logout clears both cookies, after which the old cookie jar signs nobody in', async () => {
      const { cookie } = await logIn();
      const logout = await request(cp.gatewayUrl)
        .post('/auth/logout')
        .set('cookie', cookie)
        .send({})
        .expect(200);
      const cleared = setCookies(logout);
      expect(cleared.get('meshplane-session')).toMatch(/^meshplane-session=; .*Max-Age=0/);
      expect(cleared.get('meshplane-csrf')).toMatch(/^meshplane-csrf=; .*Max-Age=0/);
      // A browser applies Max-Age=0 by dropping the cookies: with what it keeps, no session.
      await request(cp.gatewayUrl).get('/auth/session').set('cookie', cookieHeader(logout)).expect(401);
    });

    /** `me` with a cookie session: the status and the first error, if any. */
    const meWithCookie = async (session: { cookie: string; csrf: string }) =>
      gql<{ me: { user: { email: string } } }>(cp.gatewayUrl, ME, {}, undefined, {
        cookie: session.cookie,
        'x-csrf-token': session.csrf,
      });

    it('logout ends the session on the server: its cookie, copied before, is refused; another session keeps working', async () => {
      const copied = await logIn();
      const other = await logIn();
      expect((await meWithCookie(copied)).data?.me.user.email).toBe(email);
      const logout = await request(cp.gatewayUrl).post('/auth/logout').set('cookie', copied.cookie).send({});
      expect(logout.status).toBe(200);
      expect(logout.body).toMatchObject({ ok: true, endedAt: expect.any(String) });
      expect(setCookies(logout).get('meshplane-session')).toMatch(/^meshplane-session=; .*Max-Age=0/);

      const refused = await meWithCookie(copied);
      expect(refused.status).toBe(401);
      expect(refused.data ?? null).toBeNull();
      expect(refused.errors?.[0]).toMatchObject({
        message: ENDED_BY_LOGOUT,
        extensions: { code: 'UNAUTHENTICATED', reason: 'SESSION_ENDED' },
      });
      await request(cp.gatewayUrl).get('/auth/session').set('cookie', copied.cookie).expect(401);
      const refresh = await request(cp.gatewayUrl)
        .post('/auth/refresh')
        .set('cookie', copied.cookie)
        .set('x-csrf-token', copied.csrf)
        .send({});
      expect(refresh.status).toBe(401);

      expect((await meWithCookie(other)).data?.me.user.email).toBe(email);
      // Logging out again is idempotent: it answers ok, records nothing new, ends nothing else.
      const rows = await endedSessionCount();
      const again = await request(cp.gatewayUrl).post('/auth/logout').set('cookie', copied.cookie).send({});
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ ok: true });
      expect(await endedSessionCount()).toBe(rows);
      expect((await meWithCookie(other)).data?.me.user.email).toBe(email);
    });

    it('logout with a garbage session cookie is refused with a clear error and ends nothing', async () => {
      const other = await logIn();
      const rows = await endedSessionCount();
      const garbage = await request(cp.gatewayUrl)
        .post('/auth/logout')
        .set('cookie', 'meshplane-session=not-a-session-token; meshplane-csrf=x')
        .send({});
      expect(garbage.status).toBe(401);
      expect(garbage.body.errors[0]).toMatchObject({
        message: 'the bearer token is invalid or expired; sign in again',
        extensions: { code: 'UNAUTHENTICATED' },
      });
      expect(await endedSessionCount()).toBe(rows);
      expect((await meWithCookie(other)).data?.me.user.email).toBe(email);
      // No cookie at all: nothing to end, and nothing ended.
      const none = await request(cp.gatewayUrl).post('/auth/logout').send({});
      expect(none.status).toBe(200);
      expect(await endedSessionCount()).toBe(rows);
    });

    it(`refresh ends the old session after a ${GRACE_MS / 1000} s grace: never before it, and within 2 s after`, {
      timeout: 30_000,
    }, async () => {
      const old = await logIn();
      const before = Date.now();
      const refreshed = await request(cp.gatewayUrl)
        .post('/auth/refresh')
        .set('cookie', old.cookie)
        .set('x-csrf-token', old.csrf)
        .send({})
        .expect(200);
      const after = Date.now();
      const fresh = { cookie: cookieHeader(refreshed), csrf: refreshed.body.session.csrfToken as string };
      // Probe the old cookie until it is refused: a success proves the server checked before the
      // grace ended (so the probe started before after + grace); a refusal that it checked after
      // it (so the probe ended after before + grace).
      const probes: Array<{ start: number; end: number; status: number; message?: string }> = [];
      while (Date.now() < after + GRACE_MS + 5_000) {
        const start = Date.now();
        const result = await meWithCookie(old);
        probes.push({ start, end: Date.now(), status: result.status, message: result.errors?.[0]?.message });
        if (result.status !== 200) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const successes = probes.filter((probe) => probe.status === 200);
      const refusal = probes.at(-1)!;
      expect(successes.length, 'the old cookie works right after the refresh').toBeGreaterThan(0);
      for (const probe of successes) expect(probe.start).toBeLessThan(after + GRACE_MS);
      expect(refusal.status).toBe(401);
      expect(refusal.message).toBe(
        'this session token was replaced by a refresh; use the new token, or log in again',
      );
      expect(refusal.end).toBeGreaterThanOrEqual(before + GRACE_MS);
      expect(refusal.end).toBeLessThanOrEqual(after + GRACE_MS + 2_000);
      // The new session works, and the old one cannot be refreshed again.
      expect((await meWithCookie(fresh)).data?.me.user.email).toBe(email);
      await request(cp.gatewayUrl)
        .post('/auth/refresh')
        .set('cookie', old.cookie)
        .set('x-csrf-token', old.csrf)
        .send({})
        .expect(401);
    });

    it('logout answers an error, and still clears the cookies, when the tenants service cannot be reached', {
      timeout: 30_000,
    }, async () => {
      const session = await logIn();
      const tenants = cp.pid('tenants');
      process.kill(tenants, 'SIGSTOP');
      let logout: request.Response;
      try {
        logout = await request(cp.gatewayUrl).post('/auth/logout').set('cookie', session.cookie).send({});
      } finally {
        process.kill(tenants, 'SIGCONT');
      }
      expect(logout.status).toBe(503);
      expect(logout.body.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
      expect(setCookies(logout).get('meshplane-session')).toMatch(/^meshplane-session=; .*Max-Age=0/);
      expect(setCookies(logout).get('meshplane-csrf')).toMatch(/^meshplane-csrf=; .*Max-Age=0/);
      // Nothing was ended: the copied cookie still signs in (say so honestly: the logout failed).
      expect((await meWithCookie(session)).data?.me.user.email).toBe(email);
    });

    it('accepting an invitation sets the session cookie (no token in the answer), once', async () => {
      const { cookie, csrf } = await logIn();
      const invited = await gql<{ inviteMember: { invitationToken: string; member: { id: string } } }>(
        cp.gatewayUrl,
        'mutation { inviteMember(input: { email: "invitee@console.example", role: viewer }) { invitationToken member { id } } }',
        {},
        undefined,
        { cookie, 'x-csrf-token': csrf },
      );
      const token = invited.data?.inviteMember.invitationToken;
      expect(token).toMatch(/^mpv_/);

      const weak = await request(cp.gatewayUrl)
        .post('/auth/accept-invitation')
        .send({ token, password: 'short' });
      expect(weak.status).toBe(400);
      expect(weak.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
      expect(weak.headers['set-cookie']).toBeUndefined();
      const missing = await request(cp.gatewayUrl)
        .post('/auth/accept-invitation')
        .send({ password: STRONG_PASSWORD });
      expect(missing.status).toBe(400);
      expect(missing.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });

      const accepted = await request(cp.gatewayUrl)
        .post('/auth/accept-invitation')
        .send({ token, password: STRONG_PASSWORD })
        .expect(200);
      expect(JSON.stringify(accepted.body)).not.toMatch(/eyJ/);
      expect(accepted.body.user).toEqual({
        id: invited.data?.inviteMember.member.id,
        email: 'invitee@console.example',
      });
      const session = setCookies(accepted).get('meshplane-session')!;
      expect(session).toMatch(/^meshplane-session=eyJ/);
      expect(session).toContain('HttpOnly');
      expect(session).toContain('SameSite=Strict');
      const me = await gql<{ me: { role: string; user: { email: string } } }>(
        cp.gatewayUrl,
        ME,
        {},
        undefined,
        {
          cookie: cookieHeader(accepted),
          'x-csrf-token': accepted.body.session.csrfToken,
        },
      );
      expect(me.data?.me).toMatchObject({ role: 'viewer', user: { email: 'invitee@console.example' } });

      // The invitation works once; a second use is refused and sets no cookie.
      const again = await request(cp.gatewayUrl)
        .post('/auth/accept-invitation')
        .send({ token, password: STRONG_PASSWORD });
      expect(again.status).toBe(401);
      expect(again.body.errors[0].message).toMatch(/invitation/i);
      expect(again.headers['set-cookie']).toBeUndefined();
    });

    it('login and sign-up refuse bad input with a clear message naming the field', async () => {
      const form = await request(cp.gatewayUrl)
        .post('/auth/login')
        .type('form')
        .send({ tenant: slug, email, password: STRONG_PASSWORD });
      expect(form.status).toBe(415);
      expect(form.body.errors[0].message).toMatch(/JSON/);
      const missing = await request(cp.gatewayUrl).post('/auth/login').send({ tenant: slug, email });
      expect(missing.status).toBe(400);
      expect(missing.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
      const wrong = await request(cp.gatewayUrl)
        .post('/auth/login')
        .send({ tenant: slug, email, password: 'Wrong-Password-123' });
      expect(wrong.status).toBe(401);
      expect(wrong.body.errors[0].message).toBe('wrong tenant, email or password');
      expect(wrong.headers['set-cookie']).toBeUndefined();
      const weak = await request(cp.gatewayUrl)
        .post('/auth/signup')
        .send({ tenantName: 'Weak Co', email: 'a@weak.example', password: 'short' });
      expect(weak.status).toBe(400);
      expect(weak.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('bearer tokens (automation), unchanged', () => {
    it('work without any cookie or CSRF header, and win over a cookie', async () => {
      const owner = await signUpTenant(cp.gatewayUrl);
      const me = await gql<{ me: { role: string; tenant: { slug: string } } }>(
        cp.gatewayUrl,
        ME,
        {},
        owner.token,
      );
      expect(me.data?.me).toEqual({
        role: 'owner',
        user: { email: owner.email },
        tenant: { slug: owner.slug },
      });
      const withStrayCookie = await gql<{ me: { tenant: { slug: string } } }>(
        cp.gatewayUrl,
        ME,
        {},
        owner.token,
        {
          cookie: 'meshplane-session=not-a-token; meshplane-csrf=x',
        },
      );
      expect(withStrayCookie.data?.me.tenant.slug).toBe(owner.slug);
      const bad = await gql(cp.gatewayUrl, ME, {}, 'not-a-token');
      expect(bad.status).toBe(401);
    });

    it("the logout mutation ends a bearer session token; the same member's other session keeps working", async () => {
      const owner = await signUpTenant(cp.gatewayUrl);
      const second = await gql<{ login: { token: string } }>(
        cp.gatewayUrl,
        'mutation($input: LoginInput!) { login(input: $input) { token } }',
        { input: { tenant: owner.slug, email: owner.email, password: STRONG_PASSWORD } },
      );
      const other = second.data!.login.token;
      const logout = await gql<{ logout: { sessionId: string; endedAt: string } }>(
        cp.gatewayUrl,
        LOGOUT,
        {},
        owner.token,
      );
      expect(logout.errors).toBeUndefined();
      expect(logout.data?.logout.sessionId).toMatch(/^[0-9a-f-]{36}$/);
      const refused = await gql(cp.gatewayUrl, ME, {}, owner.token);
      expect(refused.status).toBe(401);
      expect(refused.errors?.[0]).toMatchObject({
        message: ENDED_BY_LOGOUT,
        extensions: { code: 'UNAUTHENTICATED', reason: 'SESSION_ENDED' },
      });
      const again = await gql(cp.gatewayUrl, LOGOUT, {}, owner.token);
      expect(again.errors?.[0]?.message).toBe(ENDED_BY_LOGOUT);
      const me = await gql<{ me: { user: { email: string } } }>(cp.gatewayUrl, ME, {}, other);
      expect(me.data?.me.user.email).toBe(owner.email);
    });

    it('logout refuses a garbage bearer token and an API token with clear errors, ending nothing', async () => {
      const owner = await signUpTenant(cp.gatewayUrl);
      const rows = await endedSessionCount();
      const garbage = await gql(cp.gatewayUrl, LOGOUT, {}, 'eyJnot.a.jwt');
      expect(garbage.status).toBe(401);
      expect(garbage.errors?.[0]).toMatchObject({
        message: 'the bearer token is invalid or expired; sign in again',
        extensions: { code: 'UNAUTHENTICATED' },
      });
      const created = await gql<{ createApiToken: { secret: string } }>(
        cp.gatewayUrl,
        'mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret } }',
        { input: { name: 'ci', role: 'viewer', expiresAt: new Date(Date.now() + 86_400_000).toISOString() } },
        owner.token,
      );
      const viaToken = await gql(cp.gatewayUrl, LOGOUT, {}, created.data!.createApiToken.secret);
      expect(viaToken.errors?.[0]?.extensions).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'SESSION_REQUIRED',
      });
      expect(await endedSessionCount()).toBe(rows);
      expect((await gql(cp.gatewayUrl, ME, {}, owner.token)).status).toBe(200);
    });
  });
});
