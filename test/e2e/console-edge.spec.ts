import { readdirSync } from 'node:fs';
import { type ControlPlane, gql, STRONG_PASSWORD, signUpTenant, startControlPlane } from '@meshplane/testing';
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
    cp = await startControlPlane();
  });

  afterAll(async () => {
    await cp?.stop();
  });

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
  });
});
