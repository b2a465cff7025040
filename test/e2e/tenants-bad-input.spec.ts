import { SessionTokens } from '@meshplane/platform';
import { type ControlPlane, gql, STRONG_PASSWORD, startControlPlane } from '@meshplane/testing';
import { buildClientSchema, getIntrospectionQuery, type IntrospectionQuery } from 'graphql';
import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addApiToken,
  addMember,
  CREATE_TOKEN,
  exposedFields,
  gatewaySchema,
  INVITE,
  inDays,
  must,
  newTenant,
  type TenantFixture,
  tenantSnapshot,
} from './tenants-fixtures.js';

const KEY = 'e2e:bad-input-signing-key-0123456789abcdef';
const ME = '{ me { role } }';

describe('bad input to the tenants API: a clear error each time, and nothing changed', () => {
  let cp: ControlPlane;
  let tenant: TenantFixture;

  beforeAll(async () => {
    cp = await startControlPlane({ JWT_SIGNING_KEYS: KEY, AUTH_RATE_LIMIT_PER_IP: '10000' });
    tenant = await newTenant(cp.gatewayUrl);
  });

  afterAll(async () => {
    await cp?.stop();
  });

  it('refuses oversized strings with BAD_USER_INPUT naming the field', async () => {
    const before = await tenantSnapshot(cp.gatewayUrl, tenant);
    const cases: Array<[string, Record<string, unknown>, string]> = [
      [CREATE_TOKEN, { input: { name: 'n'.repeat(65), role: 'viewer', expiresAt: inDays(1) } }, 'name'],
      [INVITE, { input: { email: `${'a'.repeat(250)}@example.com`, role: 'viewer' } }, 'email'],
    ];
    for (const [query, variables, field] of cases) {
      const result = await gql(cp.gatewayUrl, query, variables, tenant.owner.token);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const signUp = await gql(
      cp.gatewayUrl,
      'mutation($input: SignUpInput!) { signUp(input: $input) { token } }',
      {
        input: { tenantName: 'T'.repeat(10_000), email: 'big@example.com', password: STRONG_PASSWORD },
      },
    );
    expect(signUp.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'tenantName' });
    const huge = await request(cp.gatewayUrl)
      .post('/graphql')
      .set('authorization', `Bearer ${tenant.owner.token}`)
      .send({
        query: CREATE_TOKEN,
        variables: { input: { name: 'x'.repeat(2_000_000), role: 'viewer', expiresAt: inDays(1) } },
      });
    expect(huge.status).toBe(413);
    expect(huge.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/exceeds the limit of 1048576 bytes/),
      extensions: { code: 'PAYLOAD_TOO_LARGE', limit: 1_048_576 },
    });
    expect(await tenantSnapshot(cp.gatewayUrl, tenant)).toBe(before);
  });

  it('refuses wrong types and out-of-range values before anything runs', async () => {
    const before = await tenantSnapshot(cp.gatewayUrl, tenant);
    const cases: Array<[string, Record<string, unknown>]> = [
      [CREATE_TOKEN, { input: { name: 'ok', role: 'superuser', expiresAt: inDays(1) } }],
      [CREATE_TOKEN, { input: { name: 42, role: 'viewer', expiresAt: inDays(1) } }],
      [CREATE_TOKEN, { input: { name: 'ok', role: 'viewer', expiresAt: 'next tuesday' } }],
      [CREATE_TOKEN, { input: { name: 'ok', role: 'viewer', expiresAt: inDays(-1) } }],
      [CREATE_TOKEN, { input: { name: 'ok', role: 'viewer', expiresAt: inDays(400) } }],
      [INVITE, { input: { email: 'not an email', role: 'viewer' } }],
      ['mutation($id: ID!) { revokeApiToken(id: $id) { id } }', { id: { nested: true } }],
      ['query($first: Int!) { auditEvents(first: $first) { hasNextPage } }', { first: 201 }],
      ['query($first: Int!) { auditEvents(first: $first) { hasNextPage } }', { first: 0 }],
      ['query($after: String) { auditEvents(after: $after) { hasNextPage } }', { after: "' OR 1=1 --" }],
    ];
    for (const [query, variables] of cases) {
      const result = await gql(cp.gatewayUrl, query, variables, tenant.owner.token);
      const label = JSON.stringify(variables).slice(0, 80);
      expect(result.data?.createApiToken ?? result.data?.inviteMember ?? null, label).toBeNull();
      // Values the schema itself rules out are refused by the gateway (HTTP 400, a message naming
      // the variable and what is wrong); the rest by the service, with a code and the field.
      if (result.status === 400) {
        expect(result.errors?.[0]?.message, label).toMatch(/^Variable "\$\w+" got invalid value/);
      } else {
        expect(result.errors?.[0]?.extensions?.code, label).toBe('BAD_USER_INPUT');
      }
    }
    const notAnId = await gql(
      cp.gatewayUrl,
      'mutation { revokeApiToken(id: "../../etc") { id } }',
      {},
      tenant.owner.token,
    );
    expect(notAnId.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await tenantSnapshot(cp.gatewayUrl, tenant)).toBe(before);
  });

  it('answers malformed bearer tokens with 401 and a message saying what to do', async () => {
    const cases = [
      'mpt_garbage',
      `mpt_${'0'.repeat(32)}_${'A'.repeat(43)}`,
      'not-a-jwt',
      'eyJhbGciOiJub25lIn0.eyJ0aWQiOiJ4In0.',
      'x'.repeat(5000),
    ];
    for (const token of cases) {
      const result = await gql(cp.gatewayUrl, ME, {}, token);
      expect(result.status, token.slice(0, 20)).toBe(401);
      expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(result.errors?.[0]?.message).toMatch(/invalid|expired|too long|revoked/);
    }
  });

  it('refuses an expired session token and an expired API token', async () => {
    const expired = await new SessionTokens(KEY, -60).sign({
      tenantId: tenant.tenantId,
      userId: tenant.owner.userId,
      role: 'owner',
    });
    const session = await gql(cp.gatewayUrl, ME, {}, expired.token);
    expect(session.status).toBe(401);
    expect(session.errors?.[0]?.message).toMatch(/invalid or expired; sign in again/);

    const token = await addApiToken(cp.gatewayUrl, tenant.owner, 'viewer');
    expect((await gql(cp.gatewayUrl, ME, {}, token.secret)).status).toBe(200);
    // Let it expire: move its expiry into the past, as time would.
    const client = new pg.Client({ connectionString: cp.databaseUrl });
    await client.connect();
    try {
      await client.query(
        `UPDATE tenants.api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`,
        [token.id],
      );
    } finally {
      await client.end();
    }
    const refused = await gql(cp.gatewayUrl, ME, {}, token.secret);
    expect(refused.status).toBe(401);
    expect(refused.errors?.[0]?.message).toBe('the API token is invalid, expired or revoked');
  });

  it("refuses a removed member's session and the API tokens they created, at the next request", async () => {
    const admin = await addMember(cp.gatewayUrl, tenant, 'admin');
    const token = await addApiToken(cp.gatewayUrl, admin, 'admin');
    expect((await gql(cp.gatewayUrl, ME, {}, admin.token)).status).toBe(200);
    expect((await gql(cp.gatewayUrl, ME, {}, token.secret)).status).toBe(200);
    await must(
      cp.gatewayUrl,
      'mutation($u: ID!) { removeMember(userId: $u) { id } }',
      { u: admin.userId },
      tenant.owner.token,
    );
    const before = await tenantSnapshot(cp.gatewayUrl, tenant);
    for (const credential of [admin.token, token.secret]) {
      const result = await gql(
        cp.gatewayUrl,
        'mutation($input: InviteMemberInput!) { inviteMember(input: $input) { member { id } } }',
        { input: { email: 'sneaky@example.com', role: 'owner' } },
        credential,
      );
      expect(result.status).toBe(401);
      expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    const refresh = await gql(cp.gatewayUrl, 'mutation { refreshSession { token } }', {}, admin.token);
    expect(refresh.status).toBe(401);
    expect(await tenantSnapshot(cp.gatewayUrl, tenant)).toBe(before);
  });

  it("refuses a token role above the creator and caps a token at its creator's current role", async () => {
    const admin = await addMember(cp.gatewayUrl, tenant, 'admin');
    const above = await gql(
      cp.gatewayUrl,
      CREATE_TOKEN,
      { input: { name: 'too much', role: 'owner', expiresAt: inDays(1) } },
      admin.token,
    );
    expect(above.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE_ABOVE_OWN' });
    const token = await addApiToken(cp.gatewayUrl, admin, 'admin');
    await must(
      cp.gatewayUrl,
      'mutation($input: UpdateMemberRoleInput!) { updateMemberRole(input: $input) { id } }',
      { input: { userId: admin.userId, role: 'viewer' } },
      tenant.owner.token,
    );
    const me = await must<{ me: { role: string } }>(cp.gatewayUrl, ME, {}, token.secret);
    expect(me.me.role).toBe('viewer');
  });
  it('prices every request by its own variables: one text neither vouches for a costlier request nor is refused for everyone', async () => {
    const FLOW =
      'seq action source { workload labels { key value } } destination { workload labels { key value } } policies { name }';
    // Two pages of flows: 1 + 1000 × 33 objects each at `first: 1000`, over the 50,000 limit together.
    const TWO_PAGES = `query($n: Int) { a: flows(first: $n) { nodes { ${FLOW} } } b: flows(first: $n) { nodes { ${FLOW} } } }`;
    const costly = (result: Awaited<ReturnType<typeof gql>>) =>
      result.errors?.find((e) => e.extensions?.code === 'QUERY_TOO_COSTLY');
    // An anonymous caller sends the costly variant first: refused, naming the cost and the fix...
    const poison = await gql(cp.gatewayUrl, TWO_PAGES, { n: 1_000 });
    expect(costly(poison)?.message).toMatch(/query cost 66002 exceeds the limit of 50000: .*smaller pages/);
    // ... which does not refuse the same text for a tenant asking for small pages,
    const small = await gql(cp.gatewayUrl, TWO_PAGES, { n: 1 }, tenant.owner.token);
    expect(costly(small)).toBeUndefined();
    expect(small.errors).toBeUndefined();
    expect(small.data).toMatchObject({ a: { nodes: [] }, b: { nodes: [] } });
    // ... and that answer does not let the costly variant through afterwards.
    expect(costly(await gql(cp.gatewayUrl, TWO_PAGES, { n: 1_000 }, tenant.owner.token))).toBeDefined();
    // The documented page sizes work with a common selection: the default (100) and the maximum.
    for (const first of [null, 1_000]) {
      const page = await gql(
        cp.gatewayUrl,
        `query($n: Int) { flows(first: $n) { nodes { ${FLOW} } } }`,
        { n: first },
        tenant.owner.token,
      );
      expect(page.errors).toBeUndefined();
    }
    // A document past the token limit is refused by the parser.
    const long = await gql(cp.gatewayUrl, `{ ${'__typename '.repeat(6_000)}}`, {}, tenant.owner.token);
    expect(long.errors?.[0]?.message).toMatch(/Document contains more th[a-z]+ 5000 tokens/);
  });
  it('answers variables of the wrong type, missing variables and non-dates with BAD_USER_INPUT and what is expected', async () => {
    const FLOWS = 'query($n: Int) { flows(first: $n) { nodes { seq } } }';
    const wrongType = await gql(cp.gatewayUrl, FLOWS, { n: 'ten' }, tenant.owner.token);
    expect(wrongType.errors?.[0]).toMatchObject({
      message: expect.stringContaining('Int cannot represent non-integer value: "ten"'),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const missing = await gql(
      cp.gatewayUrl,
      'query($from: DateTime!) { flows(from: $from) { nodes { seq } } }',
      {},
      tenant.owner.token,
    );
    expect(missing.errors?.[0]).toMatchObject({
      message: expect.stringContaining('of required type "DateTime!" was not provided'),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    // 1e400 is Infinity once parsed; passed on it would become null ("move the tier last").
    const tiers = async () =>
      JSON.stringify((await gql(cp.gatewayUrl, '{ tiers { name order } }', {}, tenant.owner.token)).data);
    const before = await tiers();
    for (const body of [
      '{"query":"mutation($i: CreateTierInput!) { createTier(input: $i) { id } }","variables":{"i":{"name":"huge","order":1e400}}}',
      '{"query":"mutation { createTier(input: {name: \\"huge\\", order: 1e400}) { id } }"}',
    ]) {
      const response = await request(cp.gatewayUrl)
        .post('/graphql')
        .set('content-type', 'application/json')
        .set('authorization', `Bearer ${tenant.owner.token}`)
        .send(body);
      expect(response.body.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/1e400 is not a finite number|i\.order is not a finite number/),
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    expect(await tiers()).toBe(before);
    for (const from of ['yesterday', '2026-02-30T00:00:00Z', '2026-12-02']) {
      const notADate = await gql(
        cp.gatewayUrl,
        'query($from: DateTime!) { flows(from: $from) { nodes { seq } } }',
        { from },
        tenant.owner.token,
      );
      expect(notADate.errors?.[0]?.extensions?.code, from).toBe('BAD_USER_INPUT');
      expect(notADate.errors?.[0]?.message, from).toMatch(/RFC 3339 date-time|not a date that exists/);
    }
  });
  it('keeps the other root fields of a request when one fails, with the real error, in every subgraph', async () => {
    const NONE = '00000000-0000-0000-0000-000000000000';
    const window = `from: "${new Date(Date.now() - 3_600_000).toISOString()}", to: "${new Date().toISOString()}"`;
    const cases: Array<[string, string, string, string]> = [
      ['clusters', `{ clusters { name } cluster(id: "${NONE}") { name } }`, 'cluster', 'NOT_FOUND'],
      ['policies', `{ tiers { name } policy(id: "${NONE}") { name } }`, 'policy', 'NOT_FOUND'],
      [
        'telemetry',
        `{ telemetrySettings { retentionDays } complianceReport(zoneId: "${NONE}", ${window}) { violations } }`,
        'complianceReport',
        'NOT_FOUND',
      ],
      ['tenants', '{ me { role } auditEvents(first: 0) { nodes { id } } }', 'auditEvents', 'BAD_USER_INPUT'],
    ];
    for (const [subgraph, query, failing, code] of cases) {
      const result = await gql<Record<string, unknown>>(cp.gatewayUrl, query, {}, tenant.owner.token);
      expect(result.errors, subgraph).toHaveLength(1);
      expect(result.errors?.[0], subgraph).toMatchObject({ path: [failing], extensions: { code } });
      expect(result.data?.[failing], subgraph).toBeNull();
      const other = Object.keys(result.data ?? {}).find((field) => field !== failing);
      expect(other && result.data?.[other], `${subgraph}: the other field keeps its data`).toBeTruthy();
    }
  });
  it('counts the errors it returns by code in meshplane_errors_total', async () => {
    const errorsOf = async (code: string) => {
      const text = await (await fetch(`http://127.0.0.1:${cp.port(1)}/metrics`)).text();
      const line = text
        .split('\n')
        .find((l) => l.startsWith('meshplane_errors_total{') && l.includes(`code="${code}"`));
      return line === undefined ? 0 : Number(line.split(' ').at(-1));
    };
    const before = await errorsOf('BAD_USER_INPUT');
    for (let i = 0; i < 3; i += 1) {
      const result = await gql(
        cp.gatewayUrl,
        'mutation($input: SignUpInput!) { signUp(input: $input) { token } }',
        { input: { tenantName: '', email: 'not-an-email', password: 'short' } },
      );
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect(await errorsOf('BAD_USER_INPUT')).toBe(before + 3);
  });

  it('answers introspection to anyone, with exactly the committed public API, within the limits', async () => {
    // Decision (ARCHITECTURE "GraphQL schema governance"): the schema is public by design.
    const result = await gql<IntrospectionQuery>(cp.gatewayUrl, getIntrospectionQuery(), {});
    expect(result.errors).toBeUndefined();
    const served = buildClientSchema(result.data!);
    const committed = gatewaySchema();
    const names = (fields: readonly { name: string }[]) => fields.map((field) => field.name).sort();
    expect(names(Object.values(served.getQueryType()!.getFields()))).toEqual(
      names(exposedFields(committed.getQueryType())),
    );
    expect(names(Object.values(served.getMutationType()!.getFields()))).toEqual(
      names(exposedFields(committed.getMutationType())),
    );
    // No federation plumbing leaks into the public schema.
    expect(
      Object.keys(served.getTypeMap()).filter((name) => /^(join__|link__|_Service$|_Entity$)/.test(name)),
    ).toEqual([]);
    // The token limit (5,000) still applies to introspection: no aliases here, so it alone refuses.
    const huge = `{ __schema { ${'queryType { name } '.repeat(1_500)}} }`;
    const refused = await gql(cp.gatewayUrl, huge, {});
    expect(refused.errors?.[0]?.message).toMatch(/Document contains more th[a-z]+ 5000 tokens/);
    expect(refused.data ?? null).toBeNull();
  });
});
