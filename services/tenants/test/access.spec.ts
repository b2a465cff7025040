import { randomUUID } from 'node:crypto';
import {
  type AuditEvent,
  InternalIdentityCodec,
  type Role,
  ServiceTokens,
  TenantDb,
} from '@meshplane/platform';
import { STRONG_PASSWORD, type SubgraphApp, startSubgraphApp } from '@meshplane/testing';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.js';
import { AuditEventEntity } from '../src/audit/audit-event.entity.js';
import { AuditEventsService } from '../src/audit/audit-events.service.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests read GraphQL responses loosely
type Loose = any;

const SECRET = 'tenants-access-test-identity-secret-0123456789';
const IP_LIMIT = 3;
const ACCOUNT_LIMIT = 10; // AUTH_RATE_LIMIT_PER_ACCOUNT's default

describe('tenants subgraph: memberships, API tokens, the gateway authentication endpoint, limits', () => {
  let app: INestApplication;
  let subgraph: SubgraphApp;
  const codec = new InternalIdentityCodec(SECRET);

  async function call(query: string, variables: Record<string, unknown> = {}, as?: Loose, ip = '10.0.0.1') {
    // The gateway signs the client's address into the identity (a plain header is not believed).
    const identity = as
      ? { kind: as.tokenId ? 'token' : 'user', correlationId: 'test', clientIp: ip, ...as }
      : { kind: 'anonymous', correlationId: 'test', clientIp: ip };
    const response = await request(app.getHttpServer())
      .post('/graphql')
      .set('x-meshplane-identity', await codec.sign(identity))
      .send({ query, variables });
    return response.body as { data?: Record<string, Loose> | null; errors?: Array<{ extensions: Loose }> };
  }

  async function authenticate(body: unknown, service = 'gateway') {
    return request(app.getHttpServer())
      .post('/internal/v1/authenticate')
      .set(await new ServiceTokens(SECRET, service).header())
      .send(body as object);
  }

  let ipCounter = 0;
  async function signUp(name: string) {
    ipCounter += 1;
    const result = await call(
      'mutation($input: SignUpInput!) { signUp(input: $input) { user { id } tenant { id slug } } }',
      {
        input: { tenantName: name, email: `owner@${name.toLowerCase()}.example`, password: STRONG_PASSWORD },
      },
      undefined,
      `10.1.0.${ipCounter}`,
    );
    const { user, tenant } = result.data!.signUp;
    return {
      tenantId: tenant.id as string,
      userId: user.id as string,
      role: 'owner' as Role,
      slug: tenant.slug,
    };
  }

  async function invite(owner: Loose, role: Role) {
    const result = await call(
      'mutation($input: InviteMemberInput!) { inviteMember(input: $input) { invitationToken member { id } } }',
      { input: { email: `${randomUUID()}@example.com`, role } },
      owner,
    );
    const { invitationToken, member } = result.data!.inviteMember;
    ipCounter += 1;
    await call(
      'mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { token } }',
      { input: { token: invitationToken, password: STRONG_PASSWORD } },
      undefined,
      `10.2.0.${ipCounter}`,
    );
    return { tenantId: owner.tenantId, userId: member.id as string, role };
  }

  beforeAll(async () => {
    subgraph = await startSubgraphApp(AppModule, {
      identitySecret: SECRET,
      env: { AUTH_RATE_LIMIT_PER_IP: String(IP_LIMIT) },
    });
    app = subgraph.app;
  });

  afterAll(async () => {
    await subgraph?.close();
  });

  it('serves the authentication endpoint only to the gateway, with its service credential', async () => {
    const owner = await signUp('Endpoint');
    const body = { kind: 'session', tenantId: owner.tenantId, userId: owner.userId, sessionId: randomUUID() };
    const anonymous = await request(app.getHttpServer()).post('/internal/v1/authenticate').send(body);
    expect(anonymous.status).toBe(401);
    expect((await authenticate(body, 'clusters')).status).toBe(401);
    const ok = await authenticate(body);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      ok: true,
      credential: { tenantId: owner.tenantId, userId: owner.userId, role: 'owner' },
    });
    expect((await authenticate({ kind: 'session', tenantId: 'x' })).status).toBe(400);
    // A session check without the token's session id is malformed: nothing is accepted unchecked.
    expect(
      (await authenticate({ kind: 'session', tenantId: owner.tenantId, userId: owner.userId })).status,
    ).toBe(400);
    expect((await authenticate({ ...body, tenantId: randomUUID() })).body.ok).toBe(false);
  });

  it("answers for API tokens: the creator's role caps the token's, revocation and removal end it", async () => {
    const owner = await signUp('Tokens');
    const admin = await invite(owner, 'admin');
    const created = await call(
      'mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret apiToken { id } } }',
      {
        input: { name: 'deploys', role: 'admin', expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
      },
      admin,
    );
    const { secret, apiToken } = created.data!.createApiToken;
    const check = async () => (await authenticate({ kind: 'apiToken', token: secret })).body;
    expect(await check()).toEqual({
      ok: true,
      credential: { tenantId: owner.tenantId, userId: admin.userId, role: 'admin', tokenId: apiToken.id },
    });
    await call(
      'mutation($input: UpdateMemberRoleInput!) { updateMemberRole(input: $input) { id } }',
      { input: { userId: admin.userId, role: 'editor' } },
      owner,
    );
    expect((await check()).credential.role).toBe('editor');
    const tampered = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    expect((await authenticate({ kind: 'apiToken', token: tampered })).body.ok).toBe(false);
    await call('mutation($id: ID!) { removeMember(userId: $id) { id } }', { id: admin.userId }, owner);
    expect(await check()).toEqual({ ok: false, reason: 'the API token is invalid, expired or revoked' });
    const tokens = await call('{ apiTokens { id active revokedAt } }', {}, owner);
    expect(tokens.data!.apiTokens[0]).toMatchObject({ id: apiToken.id, active: false });
  });

  it('lets only one of two concurrent demotions of the last two owners through', async () => {
    const owner = await signUp('Owners');
    const second = await invite(owner, 'owner');
    const demote = (actor: Loose, target: Loose) =>
      call(
        'mutation($input: UpdateMemberRoleInput!) { updateMemberRole(input: $input) { id role } }',
        { input: { userId: target.userId, role: 'admin' } },
        actor,
      );
    const results = await Promise.all([demote(owner, second), demote(second, owner)]);
    const codes = results.map((r) => r.errors?.[0]?.extensions.reason ?? 'ok').sort();
    expect(codes).toEqual(['LAST_OWNER', 'ok']);
    const members = await call('{ members { role } }', {}, owner);
    expect(members.data!.members.filter((m: Loose) => m.role === 'owner')).toHaveLength(1);
  });

  it('limits sign-up and login attempts per client address, counting each address on its own', async () => {
    const login = (ip: string) =>
      call(
        'mutation($input: LoginInput!) { login(input: $input) { token } }',
        { input: { tenant: 'nobody', email: 'x@y.z', password: 'nope' } },
        undefined,
        ip,
      );
    for (let i = 0; i < IP_LIMIT; i += 1)
      expect((await login('192.0.2.7')).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    const limited = await login('192.0.2.7');
    expect(limited.errors?.[0]?.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: expect.any(Number),
    });
    expect((await login('192.0.2.8')).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('runs no more password checks than the account budget, however many guesses arrive at once', async () => {
    const owner = await signUp('Guesses');
    const me = await call('{ me { user { email } } }', {}, owner);
    const email = me.data!.me.user.email as string;
    const guess = (i: number) =>
      call(
        'mutation($input: LoginInput!) { login(input: $input) { token } }',
        { input: { tenant: owner.slug, email, password: `Wrong-Guess-${i}-Abc` } },
        undefined,
        `198.51.100.${i + 1}`, // every guess from its own address: only the account limit applies
      );
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => guess(i)));
    const codes = results.map((r) => r.errors?.[0]?.extensions.code as string);
    // Each UNAUTHENTICATED is one password check that ran; the rest were refused before theirs.
    expect(codes.filter((c) => c === 'UNAUTHENTICATED')).toHaveLength(ACCOUNT_LIMIT);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(50 - ACCOUNT_LIMIT);
  });

  it('does not count successful logins against the account budget', async () => {
    const owner = await signUp('Frequent');
    const me = await call('{ me { user { email } } }', {}, owner);
    const login = (password: string, i: number) =>
      call(
        'mutation($input: LoginInput!) { login(input: $input) { token } }',
        { input: { tenant: owner.slug, email: me.data!.me.user.email, password } },
        undefined,
        `203.0.113.${i + 1}`,
      );
    for (let i = 0; i < ACCOUNT_LIMIT + 5; i += 1)
      expect((await login(STRONG_PASSWORD, i)).data?.login?.token).toEqual(expect.any(String));
    // The whole failure budget is still there.
    for (let i = 0; i < ACCOUNT_LIMIT; i += 1)
      expect((await login('Wrong-Password-42', 100 + i)).errors?.[0]?.extensions.code).toBe(
        'UNAUTHENTICATED',
      );
    expect((await login('Wrong-Password-42', 200)).errors?.[0]?.extensions.code).toBe('RATE_LIMITED');
  });

  it('stores a redelivered audit event once', async () => {
    const owner = await signUp('Redelivery');
    const event: AuditEvent = {
      id: randomUUID(),
      tenantId: owner.tenantId,
      occurredAt: new Date().toISOString(),
      service: 'clusters',
      operation: 'registerCluster',
      actorKind: 'user',
      actorUserId: owner.userId,
      actorTokenId: null,
      targetType: 'Cluster',
      targetId: randomUUID(),
      arguments: { input: { name: 'eu-1' } },
      outcome: 'ok',
      errorCode: null,
      correlationId: 'c',
    };
    const events = app.get(AuditEventsService);
    await events.store(event);
    await events.store(event);
    const db = app.get(TenantDb);
    expect(await db.system((m) => m.count(AuditEventEntity, { where: { id: event.id } }))).toBe(1);
  });
});
