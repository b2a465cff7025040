import { createHash } from 'node:crypto';
import { SessionTokens } from '@meshplane/platform';
import {
  type ControlPlane,
  gql,
  STRONG_PASSWORD,
  startControlPlane,
  TEST_REDIS_URL,
} from '@meshplane/testing';
import { Redis } from 'ioredis';
import { decodeProtectedHeader } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCEPT,
  addApiToken,
  addMember,
  CREATE_TOKEN,
  INVITE,
  inDays,
  must,
  newTenant,
  waitForAudit,
} from './tenants-fixtures.js';

const OLD_KEY = 'k1:e2e-old-signing-key-0123456789abcdef0123';
const NEW_KEY = 'k2:e2e-new-signing-key-0123456789abcdef0123';
const IP_LIMIT = 150;

const ME = '{ me { role viaApiToken user { id email } tenant { id slug } } }';
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { token expiresAt user { id } tenant { id } } }`;
const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { token user { id role } tenant { id slug } } }`;
const REVOKE = 'mutation($id: ID!) { revokeApiToken(id: $id) { id active revokedAt } }';
const TOKENS = '{ apiTokens { id name role active lastUsedAt revokedAt createdByUserId } }';
const MEMBERS = '{ members { id email role status } }';
const UPDATE_ROLE = `mutation($input: UpdateMemberRoleInput!) { updateMemberRole(input: $input) { id role } }`;
const REMOVE = 'mutation($userId: ID!) { removeMember(userId: $userId) { id } }';

/**
 * The secret part of a bearer token `mp?_<id>_<secret>`: everything after the second underscore
 * (the base64url secret may itself contain underscores).
 */
function secretPart(token: string): string {
  return token.split('_').slice(2).join('_');
}

describe('tenants, users and access through the gateway', () => {
  let cp: ControlPlane;

  beforeAll(async () => {
    // Two signing keys listed: the new one signs, the old one still verifies (a rotation in flight).
    cp = await startControlPlane({
      JWT_SIGNING_KEYS: `${NEW_KEY},${OLD_KEY}`,
      AUTH_RATE_LIMIT_PER_IP: String(IP_LIMIT),
    });
  });

  afterAll(async () => {
    await cp?.stop();
  });

  it('signs up, logs in, answers me, and serves an API token until it is revoked', async () => {
    const email = 'ops@access-flow.example';
    const signUp = await must<{
      signUp: { token: string; user: { id: string }; tenant: { id: string; slug: string } };
    }>(cp.gatewayUrl, SIGN_UP, { input: { tenantName: 'Access Flow', email, password: STRONG_PASSWORD } });
    const { tenant, user } = signUp.signUp;
    const login = await must<{ login: { token: string; user: { id: string } } }>(cp.gatewayUrl, LOGIN, {
      input: { tenant: tenant.slug, email, password: STRONG_PASSWORD },
    });
    expect(login.login.user.id).toBe(user.id);
    const session = login.login.token;

    const me = await must<{ me: Record<string, unknown> }>(cp.gatewayUrl, ME, {}, session);
    expect(me.me).toEqual({
      role: 'owner',
      viaApiToken: false,
      user: { id: user.id, email },
      tenant: { id: tenant.id, slug: 'access-flow' },
    });

    const created = await must<{
      createApiToken: { secret: string; apiToken: { id: string; role: string } };
    }>(
      cp.gatewayUrl,
      CREATE_TOKEN,
      { input: { name: 'ci deploys', role: 'editor', expiresAt: inDays(30) } },
      session,
    );
    const { secret, apiToken } = created.createApiToken;
    expect(secret).toMatch(/^mpt_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);

    const viaToken = await must<{ me: { role: string; viaApiToken: boolean; user: { id: string } } }>(
      cp.gatewayUrl,
      ME,
      {},
      secret,
    );
    expect(viaToken.me).toMatchObject({ role: 'editor', viaApiToken: true, user: { id: user.id } });

    const listed = await must<{ apiTokens: Array<Record<string, unknown>> }>(
      cp.gatewayUrl,
      TOKENS,
      {},
      session,
    );
    expect(listed.apiTokens).toHaveLength(1);
    expect(listed.apiTokens[0]).toMatchObject({ id: apiToken.id, name: 'ci deploys', active: true });
    expect(listed.apiTokens[0]?.lastUsedAt).toEqual(expect.any(String));
    expect(JSON.stringify(listed)).not.toContain(secret.slice(-43));

    const revoked = await must<{ revokeApiToken: { active: boolean } }>(
      cp.gatewayUrl,
      REVOKE,
      { id: apiToken.id },
      session,
    );
    expect(revoked.revokeApiToken.active).toBe(false);
    const refused = await gql(cp.gatewayUrl, ME, {}, secret);
    expect(refused.status).toBe(401);
    expect(refused.errors?.[0]).toMatchObject({
      message: 'the API token is invalid, expired or revoked',
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('never stores an API token or password in the clear', async () => {
    const tenant = await newTenant(cp.gatewayUrl);
    const { secret } = await addApiToken(cp.gatewayUrl, tenant.owner, 'viewer');
    const client = new pg.Client({ connectionString: cp.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT t.secret_hash, u.password_hash FROM tenants.api_tokens t JOIN tenants.users u ON u.id = t.created_by_user_id
         WHERE t.tenant_id = $1`,
        [tenant.tenantId],
      );
      expect(rows[0].secret_hash).toMatch(/^\$argon2id\$/);
      expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
      expect(JSON.stringify(rows)).not.toContain(secretPart(secret));
    } finally {
      await client.end();
    }
  });

  it('signs with the first listed key and still accepts sessions signed with a rotated-out key', async () => {
    const tenant = await newTenant(cp.gatewayUrl);
    expect(decodeProtectedHeader(tenant.owner.token).kid).toBe('k2');
    const oldSession = await new SessionTokens(OLD_KEY).sign({
      tenantId: tenant.tenantId,
      userId: tenant.owner.userId,
      role: 'owner',
    });
    const me = await must<{ me: { user: { id: string } } }>(cp.gatewayUrl, ME, {}, oldSession.token);
    expect(me.me.user.id).toBe(tenant.owner.userId);
  });

  it('refreshes a session with the current role, and refuses to refresh through an API token', async () => {
    const tenant = await newTenant(cp.gatewayUrl);
    const member = await addMember(cp.gatewayUrl, tenant, 'editor');
    await must(
      cp.gatewayUrl,
      UPDATE_ROLE,
      { input: { userId: member.userId, role: 'viewer' } },
      tenant.owner.token,
    );
    // The demotion applies to the unexpired session at once, and the refreshed token carries it.
    const me = await must<{ me: { role: string } }>(cp.gatewayUrl, '{ me { role } }', {}, member.token);
    expect(me.me.role).toBe('viewer');
    const refreshed = await must<{ refreshSession: { token: string; expiresAt: string } }>(
      cp.gatewayUrl,
      'mutation { refreshSession { token expiresAt user { role } } }',
      {},
      member.token,
    );
    await expect(new SessionTokens(NEW_KEY).verify(refreshed.refreshSession.token)).resolves.toMatchObject({
      role: 'viewer',
    });
    expect(Date.parse(refreshed.refreshSession.expiresAt) - Date.now()).toBeLessThanOrEqual(900_000);
    const { secret } = await addApiToken(cp.gatewayUrl, tenant.owner, 'viewer');
    const viaToken = await gql(cp.gatewayUrl, 'mutation { refreshSession { token } }', {}, secret);
    expect(viaToken.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'SESSION_REQUIRED' });
  });

  it('manages members: invite, accept once, change roles, remove; the last owner stays', async () => {
    const tenant = await newTenant(cp.gatewayUrl);
    const invited = await must<{ inviteMember: { invitationToken: string; member: Record<string, string> } }>(
      cp.gatewayUrl,
      INVITE,
      { input: { email: 'New.Person@Example.com', role: 'admin' } },
      tenant.owner.token,
    );
    expect(invited.inviteMember.member).toMatchObject({ email: 'new.person@example.com', status: 'invited' });
    // An invited member cannot sign in before accepting.
    const early = await gql(cp.gatewayUrl, LOGIN, {
      input: { tenant: tenant.slug, email: 'new.person@example.com', password: STRONG_PASSWORD },
    });
    expect(early.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const accept = { input: { token: invited.inviteMember.invitationToken, password: STRONG_PASSWORD } };
    const accepted = await must<{
      acceptInvitation: { token: string; user: { id: string; status: string } };
    }>(cp.gatewayUrl, ACCEPT, accept);
    expect(accepted.acceptInvitation.user.status).toBe('active');
    const again = await gql(cp.gatewayUrl, ACCEPT, accept);
    expect(again.errors?.[0]?.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'INVITATION_INVALID',
    });

    const duplicate = await gql(
      cp.gatewayUrl,
      INVITE,
      { input: { email: 'new.person@example.com', role: 'viewer' } },
      tenant.owner.token,
    );
    expect(duplicate.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'email' });

    // The admin may not touch the owner; nobody may remove or demote the last owner.
    const admin = accepted.acceptInvitation.token;
    const byAdmin = await gql(cp.gatewayUrl, REMOVE, { userId: tenant.owner.userId }, admin);
    expect(byAdmin.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'OWNER_REQUIRED' });
    for (const [query, variables] of [
      [REMOVE, { userId: tenant.owner.userId }],
      [UPDATE_ROLE, { input: { userId: tenant.owner.userId, role: 'admin' } }],
    ] as const) {
      const last = await gql(cp.gatewayUrl, query, variables, tenant.owner.token);
      expect(last.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'LAST_OWNER' });
    }
    // With a second owner, the first may step down.
    const adminId = accepted.acceptInvitation.user.id;
    await must(cp.gatewayUrl, UPDATE_ROLE, { input: { userId: adminId, role: 'owner' } }, tenant.owner.token);
    await must(cp.gatewayUrl, UPDATE_ROLE, { input: { userId: tenant.owner.userId, role: 'viewer' } }, admin);
    const members = await must<{ members: Array<{ id: string; role: string }> }>(
      cp.gatewayUrl,
      MEMBERS,
      {},
      admin,
    );
    expect(members.members.map((m) => [m.id, m.role]).sort()).toEqual(
      [
        [adminId, 'owner'],
        [tenant.owner.userId, 'viewer'],
      ].sort(),
    );
    await must(cp.gatewayUrl, REMOVE, { userId: tenant.owner.userId }, admin);
    const gone = await gql(cp.gatewayUrl, ME, {}, tenant.owner.token);
    expect(gone.status).toBe(401);
  });

  it('audits every mutation with actor, target and outcome, and never a secret', async () => {
    const tenant = await newTenant(cp.gatewayUrl);
    const member = await addMember(cp.gatewayUrl, tenant, 'viewer');
    const token = await addApiToken(cp.gatewayUrl, tenant.owner, 'admin');
    await must(cp.gatewayUrl, REVOKE, { id: token.id }, tenant.owner.token);
    const denied = await gql(cp.gatewayUrl, REMOVE, { userId: tenant.owner.userId }, member.token);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await gql(cp.gatewayUrl, LOGIN, {
      input: { tenant: tenant.slug, email: tenant.owner.email, password: 'Wrong-Pass-123' },
    });

    const events = await waitForAudit(cp.gatewayUrl, tenant.owner.token, (all) => all.length >= 7);
    const byOperation = (operation: string) => events.filter((e) => e.operation === operation);
    expect(byOperation('signUp')[0]).toMatchObject({
      outcome: 'ok',
      actorKind: 'anonymous',
      actorUserId: tenant.owner.userId,
    });
    expect(byOperation('inviteMember')[0]).toMatchObject({
      outcome: 'ok',
      actorUserId: tenant.owner.userId,
      targetId: member.userId,
    });
    expect(byOperation('acceptInvitation')[0]).toMatchObject({ outcome: 'ok', actorUserId: member.userId });
    expect(byOperation('createApiToken')[0]).toMatchObject({
      outcome: 'ok',
      targetId: token.id,
      service: 'tenants',
    });
    expect(byOperation('revokeApiToken')[0]).toMatchObject({ outcome: 'ok', targetId: token.id });
    expect(byOperation('removeMember')[0]).toMatchObject({
      outcome: 'error',
      errorCode: 'FORBIDDEN',
      actorUserId: member.userId,
      targetId: tenant.owner.userId,
    });
    expect(byOperation('login').find((e) => e.outcome === 'error')).toMatchObject({
      errorCode: 'UNAUTHENTICATED',
    });

    const everything = JSON.stringify(events);
    expect(everything).not.toContain(STRONG_PASSWORD);
    expect(everything).not.toContain('Wrong-Pass-123');
    expect(everything).not.toContain(secretPart(token.secret));
    expect(everything).not.toMatch(/mp[it]_[0-9a-f]{32}/);
    expect(JSON.parse(byOperation('acceptInvitation')[0]!.arguments)).toEqual({
      input: { token: '[redacted]', password: '[redacted]' },
    });
  });

  it('records actions of an API token as the token, and filters the log by actor', async () => {
    const tenant = await newTenant(cp.gatewayUrl);
    const token = await addApiToken(cp.gatewayUrl, tenant.owner, 'admin');
    await must(
      cp.gatewayUrl,
      INVITE,
      { input: { email: 'bot-made@example.com', role: 'viewer' } },
      token.secret,
    );
    const events = await waitForAudit(cp.gatewayUrl, tenant.owner.token, (all) => all.length === 1, {
      actorTokenId: token.id,
    });
    expect(events[0]).toMatchObject({
      operation: 'inviteMember',
      actorKind: 'token',
      actorUserId: tenant.owner.userId,
    });
  });

  it('keeps the audit log append-only for the services and even for the table owner', async () => {
    const tenant = await newTenant(cp.gatewayUrl);
    await waitForAudit(cp.gatewayUrl, tenant.owner.token, (all) => all.length >= 1);
    const client = new pg.Client({ connectionString: cp.databaseUrl });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL ROLE meshplane_app');
      await client.query(`SELECT set_config('meshplane.tenant_id', $1, true)`, [tenant.tenantId]);
      await expect(client.query(`UPDATE tenants.audit_events SET outcome = 'ok'`)).rejects.toThrow(
        /permission denied/,
      );
      await client.query('ROLLBACK');
      await expect(client.query('DELETE FROM tenants.audit_events')).rejects.toThrow(/append-only/);
      await expect(client.query('TRUNCATE tenants.audit_events')).rejects.toThrow(/append-only/);
      const { rows } = await client.query(
        'SELECT count(*)::int AS n FROM tenants.audit_events WHERE tenant_id = $1',
        [tenant.tenantId],
      );
      expect(rows[0].n).toBeGreaterThanOrEqual(1);
    } finally {
      await client.end();
    }
  });

  it('rate limits failed logins per account with RATE_LIMITED and a retry-after', async () => {
    const tenant = await newTenant(cp.gatewayUrl);
    const attempt = () =>
      gql(cp.gatewayUrl, LOGIN, {
        input: { tenant: tenant.slug, email: tenant.owner.email, password: 'Not-The-One-42' },
      });
    for (let i = 0; i < 10; i += 1)
      expect((await attempt()).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const limited = await attempt();
    expect(limited.errors?.[0]?.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: expect.any(Number),
    });
    // Even the right password waits: the account is locked for the window, whoever asks.
    const right = await gql(cp.gatewayUrl, LOGIN, {
      input: { tenant: tenant.slug, email: tenant.owner.email, password: STRONG_PASSWORD },
    });
    expect(right.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });

  // Last: it spends this client address's budget for the rest of the window.
  it('rate limits sign-up and login attempts per client address', async () => {
    const results = await Promise.all(
      Array.from({ length: IP_LIMIT + 5 }, () =>
        gql(cp.gatewayUrl, LOGIN, { input: { tenant: 'nope', email: 'x', password: 'y' } }),
      ),
    );
    const codes = results.map((r) => r.errors?.[0]?.extensions?.code);
    expect(codes).toContain('RATE_LIMITED');
    const signUp = await gql(cp.gatewayUrl, SIGN_UP, {
      input: { tenantName: 'Too Many', email: 'a@too-many.example', password: STRONG_PASSWORD },
    });
    expect(signUp.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    // Counted against this client's address, which the gateway forwarded (not one shared bucket).
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const keys = await redis.keys(`${cp.redisPrefix}:ratelimit:ip:*`);
      const digest = (ip: string) => createHash('sha256').update(ip).digest('base64url').slice(0, 32);
      expect(keys.map((k) => k.split(':').at(-1))).not.toContain(digest('unknown'));
      expect(keys.map((k) => k.split(':').at(-1))).toEqual(
        expect.arrayContaining([
          expect.stringMatching(new RegExp(`^(${digest('127.0.0.1')}|${digest('::ffff:127.0.0.1')})$`)),
        ]),
      );
    } finally {
      redis.disconnect();
    }
  });
});
