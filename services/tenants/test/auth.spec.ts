import { InternalIdentityCodec, TenantDb } from '@meshplane/platform';
import { STRONG_PASSWORD, type SubgraphApp, startSubgraphApp } from '@meshplane/testing';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.js';
import { UserEntity } from '../src/tenants/user.entity.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests read GraphQL responses loosely
type Loose = any;

const SECRET = 'tenants-test-identity-secret-0123456789';

describe('tenants subgraph: sign-up, login, me (real Postgres, behind a signed identity)', () => {
  let app: INestApplication;
  let subgraph: SubgraphApp;
  const codec = new InternalIdentityCodec(SECRET);

  async function call(query: string, variables: Record<string, unknown> = {}, identity?: string) {
    const header = identity ?? (await codec.sign({ kind: 'anonymous', correlationId: 'test-correlation' }));
    const response = await request(app.getHttpServer())
      .post('/graphql')
      .set('x-meshplane-identity', header)
      .send({ query, variables });
    return response.body as {
      data?: Record<string, Loose> | null;
      errors?: Array<{ message: string; extensions: Loose }>;
    };
  }

  const signUp = (input: Record<string, unknown>) =>
    call(
      `mutation($input: SignUpInput!) { signUp(input: $input) { token user { id email role } tenant { id slug } } }`,
      {
        input,
      },
    );
  const login = (input: Record<string, unknown>) =>
    call(`mutation($input: LoginInput!) { login(input: $input) { token user { id } } }`, { input });

  beforeAll(async () => {
    subgraph = await startSubgraphApp(AppModule, { identitySecret: SECRET });
    app = subgraph.app;
  });

  afterAll(async () => {
    await subgraph?.close();
  });

  it('creates a tenant with its owner, lower-casing the email and deriving the slug', async () => {
    const result = await signUp({
      tenantName: 'Globex Ltd',
      email: 'Hank@Globex.COM',
      password: STRONG_PASSWORD,
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?.signUp.user).toMatchObject({ email: 'hank@globex.com', role: 'owner' });
    expect(result.data?.signUp.tenant.slug).toBe('globex-ltd');
    expect(result.data?.signUp.token).toMatch(/^ey/);
  });

  it('stores only an argon2id hash of the password', async () => {
    const db = app.get(TenantDb);
    const users = await db.system((m) => m.find(UserEntity, { where: { email: 'hank@globex.com' } }));
    expect(users[0]?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(users[0]?.passwordHash).not.toContain(STRONG_PASSWORD);
  });

  it('refuses a taken tenant name with CONFLICT naming the field, and stores nothing', async () => {
    const result = await signUp({
      tenantName: 'globex  LTD',
      email: 'other@globex.com',
      password: STRONG_PASSWORD,
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'tenantName' });
    const db = app.get(TenantDb);
    expect(await db.system((m) => m.count(UserEntity, { where: { email: 'other@globex.com' } }))).toBe(0);
  });

  it('refuses weak passwords and malformed input with BAD_USER_INPUT naming the field', async () => {
    const weak = await signUp({ tenantName: 'Weak Co', email: 'a@weak.co', password: 'password123' });
    expect(weak.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
    const badEmail = await signUp({
      tenantName: 'Weak Co',
      email: 'not-an-email',
      password: STRONG_PASSWORD,
    });
    expect(badEmail.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
    const longName = await signUp({
      tenantName: 'x'.repeat(65),
      email: 'a@weak.co',
      password: STRONG_PASSWORD,
    });
    expect(longName.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'tenantName' });
  });

  it('logs in with the right credentials and refuses wrong ones without saying which part was wrong', async () => {
    const ok = await login({ tenant: 'globex-ltd', email: 'HANK@globex.com', password: STRONG_PASSWORD });
    expect(ok.data?.login.token).toMatch(/^ey/);
    const messages = await Promise.all([
      login({ tenant: 'globex-ltd', email: 'hank@globex.com', password: `${STRONG_PASSWORD}x` }),
      login({ tenant: 'globex-ltd', email: 'nobody@globex.com', password: STRONG_PASSWORD }),
      login({ tenant: 'no-such-tenant', email: 'hank@globex.com', password: STRONG_PASSWORD }),
    ]);
    for (const result of messages) {
      expect(result.errors?.[0]).toMatchObject({
        message: 'wrong tenant, email or password',
        extensions: { code: 'UNAUTHENTICATED' },
      });
    }
  });

  it('answers me for the identity the gateway signed, and nothing for anonymous callers', async () => {
    const { data } = await login({
      tenant: 'globex-ltd',
      email: 'hank@globex.com',
      password: STRONG_PASSWORD,
    });
    const me = await call('{ me { user { id } } }');
    expect(me.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    const tenantDb = app.get(TenantDb);
    const hank = await tenantDb.system((m) => m.findOneByOrFail(UserEntity, { email: 'hank@globex.com' }));
    const identity = await codec.sign({
      kind: 'user',
      tenantId: hank.tenantId,
      userId: hank.id,
      role: 'owner',
      correlationId: 'test-correlation',
    });
    const mine = await call('{ me { user { id } role } }', {}, identity);
    expect(mine.data?.me).toEqual({ user: { id: data?.login.user.id }, role: 'owner' });
  });

  it('keeps each tenant to its own rows through row-level security, even without a tenant filter', async () => {
    await signUp({ tenantName: 'Initech', email: 'peter@initech.com', password: STRONG_PASSWORD });
    const db = app.get(TenantDb);
    const [globex, initech] = await Promise.all(
      ['hank@globex.com', 'peter@initech.com'].map((email) =>
        db.system((m) => m.findOneByOrFail(UserEntity, { email })),
      ),
    );
    const seenByGlobex = await db.tenant(globex!.tenantId, (m) => m.find(UserEntity));
    expect(seenByGlobex.map((u) => u.email)).toEqual(['hank@globex.com']);
    await expect(
      db.tenant(globex!.tenantId, (m) =>
        m.insert(UserEntity, {
          tenantId: initech!.tenantId,
          email: 'x@y.z',
          passwordHash: 'x',
          role: 'owner',
        }),
      ),
    ).rejects.toThrow(/row-level security/);
  });
});
