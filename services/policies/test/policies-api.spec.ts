import { randomUUID } from 'node:crypto';
import { type Identity, InternalIdentityCodec, type Role, TenantDb } from '@meshplane/platform';
import { type SubgraphApp, startSubgraphApp } from '@meshplane/testing';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.js';
import { PolicyEntity } from '../src/policies/policy.entity.js';
import { PolicyVersionEntity } from '../src/versions/policy-version.entity.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests read GraphQL responses loosely
type Loose = any;

const SECRET = 'policies-test-identity-secret-0123456789';

const TIER = 'id name order defaultAction builtIn';
const POLICY = `id kind name calicoName namespace tier staged version
  spec { tier order selector types clusterSelector ingress { action protocol source { selector } destination { ports } } }`;
const CHANGE = `policyId version changeId change changed policy { ${POLICY} }`;

describe('policies subgraph: tiers, policies, versions (real Postgres, behind a signed identity)', () => {
  let app: INestApplication;
  let subgraph: SubgraphApp;
  const codec = new InternalIdentityCodec(SECRET);
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  const editorA = randomUUID();

  const as = (tenantId: string, role: Role = 'editor', userId = editorA): Identity => ({
    kind: 'user',
    tenantId,
    userId,
    role,
    correlationId: 'policies-test',
  });

  async function call(identity: Identity, query: string, variables: Record<string, unknown> = {}) {
    const response = await request(app.getHttpServer())
      .post('/graphql')
      .set('x-meshplane-identity', await codec.sign(identity))
      .send({ query, variables });
    return response.body as {
      data?: Record<string, Loose> | null;
      errors?: Array<{ message: string; extensions: Loose }>;
    };
  }

  async function ok(identity: Identity, query: string, variables: Record<string, unknown> = {}) {
    const result = await call(identity, query, variables);
    expect(result.errors).toBeUndefined();
    return result.data as Record<string, Loose>;
  }

  const createTier = (identity: Identity, input: Record<string, unknown>) =>
    call(identity, `mutation($input: CreateTierInput!) { createTier(input: $input) { ${TIER} } }`, { input });
  const createPolicy = (identity: Identity, input: Record<string, unknown>) =>
    call(identity, `mutation($input: CreatePolicyInput!) { createPolicy(input: $input) { ${CHANGE} } }`, {
      input,
    });
  const updatePolicy = (identity: Identity, id: string, spec: Record<string, unknown>) =>
    call(
      identity,
      `mutation($id: ID!, $input: UpdatePolicyInput!) { updatePolicy(id: $id, input: $input) { ${CHANGE} } }`,
      {
        id,
        input: { spec },
      },
    );
  const history = (identity: Identity, id: string) =>
    call(
      identity,
      `query($id: ID!) { policyHistory(id: $id) { version change restoredVersion authorUserId spec { ingress { action } } } }`,
      {
        id,
      },
    );

  const webSpec = (action = 'Allow') => ({
    tier: 'platform',
    order: 10,
    selector: "app == 'web'",
    clusterSelector: "env == 'prod' && meshplane.io/cluster != 'lab'",
    ingress: [
      {
        action,
        protocol: 'TCP',
        source: { selector: "app == 'frontend'" },
        destination: { ports: ['8080'] },
      },
    ],
  });

  async function storedCounts(tenantId: string) {
    const db = app.get(TenantDb);
    return db.tenant(tenantId, async (m) => ({
      policies: await m.count(PolicyEntity),
      versions: await m.count(PolicyVersionEntity),
    }));
  }

  beforeAll(async () => {
    subgraph = await startSubgraphApp(AppModule, { identitySecret: SECRET });
    app = subgraph.app;
  });

  afterAll(async () => {
    await subgraph?.close();
  });

  it("lists Calico's built-in default tier (order 1000000, Deny) in every tenant", async () => {
    const { tiers } = await ok(as(tenantA, 'viewer'), `{ tiers { ${TIER} } }`);
    expect(tiers).toEqual([
      { id: expect.any(String), name: 'default', order: 1_000_000, defaultAction: 'Deny', builtIn: true },
    ]);
  });

  it('creates tiers in evaluation order and refuses reserved, invalid and duplicate names', async () => {
    expect(
      (await createTier(as(tenantA), { name: 'platform', order: 100, defaultAction: 'Pass' })).errors,
    ).toBeUndefined();
    expect((await createTier(as(tenantA), { name: 'security', order: 10 })).errors).toBeUndefined();
    const { tiers } = await ok(as(tenantA), `{ tiers { name defaultAction } }`);
    expect(tiers.map((t: Loose) => t.name)).toEqual(['security', 'platform', 'default']);

    const reserved = await createTier(as(tenantA), { name: 'meshplane-compliance' });
    expect(reserved.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    const invalid = await createTier(as(tenantA), { name: 'Not_A_Label' });
    expect(invalid.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    const taken = await createTier(as(tenantA), { name: 'platform' });
    expect(taken.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.name' });
  });

  it('refuses to change or delete the default tier', async () => {
    const { tiers } = await ok(as(tenantA), `{ tiers { id name } }`);
    const id = tiers.find((t: Loose) => t.name === 'default').id;
    const update = await call(
      as(tenantA),
      `mutation($id: ID!) { updateTier(id: $id, input: { order: 1 }) { id } }`,
      { id },
    );
    expect(update.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'TIER_BUILT_IN' });
    const remove = await call(as(tenantA), `mutation($id: ID!) { deleteTier(id: $id) }`, { id });
    expect(remove.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'TIER_BUILT_IN' });
  });

  let policyId: string;

  it('creates a policy as version 1 with canonical spec and Calico defaults', async () => {
    const result = await createPolicy(as(tenantA), {
      kind: 'NetworkPolicy',
      name: 'allow-frontend',
      namespace: 'shop',
      spec: webSpec(),
    });
    expect(result.errors).toBeUndefined();
    const change = result.data?.createPolicy;
    expect(change).toMatchObject({
      version: 1,
      change: 'Created',
      changed: true,
      changeId: expect.any(String),
    });
    expect(change.policy).toMatchObject({
      kind: 'NetworkPolicy',
      name: 'allow-frontend',
      calicoName: 'platform.allow-frontend',
      namespace: 'shop',
      tier: 'platform',
      staged: false,
      spec: {
        types: ['Ingress'],
        ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: ['8080'] } }],
      },
    });
    policyId = change.policyId;
    const db = app.get(TenantDb);
    const stored = await db.tenant(tenantA, (m) => m.findOneByOrFail(PolicyEntity, { id: policyId }));
    expect(stored.spec.ingress?.[0]?.destination?.ports).toEqual([8080]);
  });

  it('refuses an invalid policy with BAD_USER_INPUT naming every field at fault, and stores nothing', async () => {
    const before = await storedCounts(tenantA);
    const result = await createPolicy(as(tenantA), {
      kind: 'NetworkPolicy',
      name: 'broken',
      namespace: 'shop',
      spec: {
        tier: 'platform',
        ingress: [{ action: 'Allow', source: { selector: "app == 'web" }, destination: { ports: ['80'] } }],
      },
    });
    const extensions = result.errors?.[0]?.extensions;
    expect(extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.spec.ingress[0].source.selector',
    });
    expect(extensions.issues.map((i: Loose) => i.path)).toEqual([
      'input.spec.ingress[0].source.selector',
      'input.spec.ingress[0].destination.ports',
    ]);
    const global = await createPolicy(as(tenantA), {
      kind: 'GlobalNetworkPolicy',
      name: 'g',
      namespace: 'shop',
      spec: {},
    });
    expect(global.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.namespace',
    });
    const noTier = await createPolicy(as(tenantA), {
      kind: 'GlobalNetworkPolicy',
      name: 'g',
      spec: { tier: 'nope' },
    });
    expect(noTier.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.spec.tier',
    });
    expect(await storedCounts(tenantA)).toEqual(before);
  });

  it("refuses a name carrying its tier's prefix, which Calico gives the object itself, on create and on a move", async () => {
    const before = await storedCounts(tenantA);
    const prefixed = await createPolicy(as(tenantA), {
      kind: 'NetworkPolicy',
      name: 'platform.allow-frontend',
      namespace: 'shop',
      spec: webSpec(),
    });
    expect(prefixed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    expect(prefixed.errors?.[0]?.message).toContain('name it "allow-frontend"');
    const defaultTier = await createPolicy(as(tenantA), {
      kind: 'GlobalNetworkPolicy',
      name: 'default.allow-dns',
      spec: { tier: 'default' },
    });
    expect(defaultTier.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.name',
    });
    expect(await storedCounts(tenantA)).toEqual(before);
    // Another tier's name is only a name; moving the policy into that tier is refused.
    const other = await createPolicy(as(tenantA), {
      kind: 'GlobalNetworkPolicy',
      name: 'platform.audit',
      spec: { tier: 'default' },
    });
    expect(other.data?.createPolicy.policy).toMatchObject({
      name: 'platform.audit',
      calicoName: 'platform.audit',
    });
    const moved = await updatePolicy(as(tenantA), other.data?.createPolicy.policyId, { tier: 'platform' });
    expect(moved.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    await call(as(tenantA), 'mutation($id: ID!) { deletePolicy(id: $id) { changed } }', {
      id: other.data?.createPolicy.policyId,
    });
  });

  it('refuses a second policy with the same kind, namespace and name, but allows a staged twin', async () => {
    const input = { kind: 'NetworkPolicy', name: 'allow-frontend', namespace: 'shop', spec: webSpec() };
    expect((await createPolicy(as(tenantA), input)).errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
    });
    const staged = await createPolicy(as(tenantA), { ...input, spec: { ...webSpec(), staged: true } });
    expect(staged.data?.createPolicy.policy.staged).toBe(true);
  });

  it('versions every update, skips no-op updates, diffs versions and rolls back', async () => {
    const updated = await updatePolicy(as(tenantA), policyId, webSpec('Deny'));
    expect(updated.data?.updatePolicy).toMatchObject({ version: 2, change: 'Updated', changed: true });
    const same = await updatePolicy(as(tenantA), policyId, webSpec('Deny'));
    expect(same.data?.updatePolicy).toMatchObject({
      version: 2,
      changed: false,
      changeId: updated.data?.updatePolicy.changeId,
    });

    const versions = (await history(as(tenantA, 'viewer'), policyId)).data?.policyHistory;
    expect(versions.map((v: Loose) => [v.version, v.change, v.spec.ingress[0].action])).toEqual([
      [2, 'Updated', 'Deny'],
      [1, 'Created', 'Allow'],
    ]);
    expect(versions[0].authorUserId).toBe(editorA);

    const diff = await ok(
      as(tenantA, 'viewer'),
      `query($id: ID!) { policyDiff(id: $id, from: 1, to: 2) { changes { op path before after } } }`,
      {
        id: policyId,
      },
    );
    expect(diff.policyDiff.changes).toEqual([
      { op: 'Replace', path: '/spec/ingress/0/action', before: '"Allow"', after: '"Deny"' },
    ]);

    const rollback = await ok(
      as(tenantA),
      `mutation($id: ID!) { rollbackPolicy(id: $id, version: 1) { ${CHANGE} } }`,
      { id: policyId },
    );
    expect(rollback.rollbackPolicy).toMatchObject({ version: 3, change: 'RolledBack' });
    expect(rollback.rollbackPolicy.policy.spec.ingress[0].action).toBe('Allow');
    const back = (await history(as(tenantA), policyId)).data?.policyHistory[0];
    expect(back).toMatchObject({ version: 3, change: 'RolledBack', restoredVersion: 1 });
  });

  it('refuses to delete a tier that policies use (CONFLICT), and deletes an unused one', async () => {
    const { tiers } = await ok(as(tenantA), `{ tiers { id name } }`);
    const platform = tiers.find((t: Loose) => t.name === 'platform').id;
    const security = tiers.find((t: Loose) => t.name === 'security').id;
    const refused = await call(as(tenantA), `mutation($id: ID!) { deleteTier(id: $id) }`, { id: platform });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'TIER_IN_USE' });
    expect(
      (await ok(as(tenantA), `mutation($id: ID!) { deleteTier(id: $id) }`, { id: security })).deleteTier,
    ).toBe(security);
  });

  it('deletes a policy keeping its history, and a rollback restores it under the same id', async () => {
    const deleted = await ok(
      as(tenantA),
      `mutation($id: ID!) { deletePolicy(id: $id) { version change policy { id } } }`,
      { id: policyId },
    );
    expect(deleted.deletePolicy).toEqual({ version: 4, change: 'Deleted', policy: null });
    const gone = await call(as(tenantA), `query($id: ID!) { policy(id: $id) { id } }`, { id: policyId });
    expect(gone.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    const toDeletion = await call(
      as(tenantA),
      `mutation($id: ID!) { rollbackPolicy(id: $id, version: 4) { version } }`,
      { id: policyId },
    );
    expect(toDeletion.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'version',
      reason: 'VERSION_IS_DELETION',
    });
    const restored = await ok(
      as(tenantA),
      `mutation($id: ID!) { rollbackPolicy(id: $id, version: 2) { version policy { id spec { ingress { action } } } } }`,
      {
        id: policyId,
      },
    );
    expect(restored.rollbackPolicy).toEqual({
      version: 5,
      policy: { id: policyId, spec: { ingress: [{ action: 'Deny' }] } },
    });
  });

  it('filters policies by tier, namespace and staged', async () => {
    const all = await ok(as(tenantA), `{ policies { name staged } }`);
    expect(all.policies).toHaveLength(2);
    const staged = await ok(
      as(tenantA),
      `{ policies(filter: { staged: true, namespace: "shop", tier: "platform" }) { staged } }`,
    );
    expect(staged.policies).toEqual([{ staged: true }]);
    expect((await ok(as(tenantA), `{ policies(filter: { tier: "default" }) { id } }`)).policies).toEqual([]);
  });

  it('lets a viewer read but not change policies or tiers (FORBIDDEN)', async () => {
    const viewer = as(tenantA, 'viewer');
    expect((await ok(viewer, `query($id: ID!) { policy(id: $id) { id } }`, { id: policyId })).policy.id).toBe(
      policyId,
    );
    const create = await createPolicy(viewer, { kind: 'GlobalNetworkPolicy', name: 'v', spec: {} });
    expect(create.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect((await updatePolicy(viewer, policyId, webSpec())).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect((await createTier(viewer, { name: 'viewer-tier' })).errors?.[0]?.extensions.code).toBe(
      'FORBIDDEN',
    );
  });

  it("never shows or changes another tenant's policy (NOT_FOUND)", async () => {
    const other = as(tenantB, 'owner', randomUUID());
    const before = await storedCounts(tenantA);
    for (const [query, variables] of [
      [`query($id: ID!) { policy(id: $id) { id } }`, { id: policyId }],
      [`query($id: ID!) { policyHistory(id: $id) { version } }`, { id: policyId }],
      [`query($id: ID!) { policyDiff(id: $id, from: 1, to: 2) { from } }`, { id: policyId }],
      [`mutation($id: ID!) { deletePolicy(id: $id) { version } }`, { id: policyId }],
      [`mutation($id: ID!) { rollbackPolicy(id: $id, version: 1) { version } }`, { id: policyId }],
    ] as const) {
      const result = await call(other, query, variables);
      expect(result.errors?.[0]?.extensions.code, query).toBe('NOT_FOUND');
    }
    expect((await updatePolicy(other, policyId, webSpec())).errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    expect((await ok(other, `{ policies { id } }`)).policies).toEqual([]);
    expect(await storedCounts(tenantA)).toEqual(before);
  });
});
