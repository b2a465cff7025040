import { randomUUID } from 'node:crypto';
import { type Identity, InternalIdentityCodec, type Role, TenantDb } from '@meshplane/platform';
import { type SubgraphApp, startSubgraphApp } from '@meshplane/testing';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.js';
import { ConfigChangeEntity } from '../src/bundles/bundle.entities.js';
import { ChangeSetPlanEntity } from '../src/change-sets/change-set-plan.entity.js';
import { EncryptionSettingEntity } from '../src/encryption/encryption-setting.entity.js';
import { PolicyEntity } from '../src/policies/policy.entity.js';
import { TierEntity } from '../src/tiers/tier.entity.js';
import { PolicyVersionEntity } from '../src/versions/policy-version.entity.js';
import { ComplianceZoneEntity } from '../src/zones/zone.entity.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests read GraphQL responses loosely
type Loose = any;

const SECRET = 'change-sets-test-identity-secret-0123456789';
const PLAN =
  'id revision hasChanges warnings { index kind name namespace message } entries { index action kind name namespace diff { op path before after } } whatIfChanges';
const APPLIED = 'planId changeId created updated deleted';

const tier = (name: string, order: number) => ({
  apiVersion: 'projectcalico.org/v3',
  kind: 'Tier',
  metadata: { name },
  spec: { order, defaultAction: 'Deny' },
});
const web = (action = 'Allow', port: number | string = 8080) => ({
  apiVersion: 'projectcalico.org/v3',
  kind: 'GlobalNetworkPolicy',
  metadata: { name: 'allow-web' },
  spec: {
    tier: 'platform',
    order: 10,
    selector: "app == 'web'",
    ingress: [{ action, protocol: 'TCP', destination: { ports: [port] } }],
  },
});
const stagedDb = {
  apiVersion: 'projectcalico.org/v3',
  kind: 'StagedNetworkPolicy',
  metadata: { name: 'db-only', namespace: 'shop' },
  spec: { tier: 'platform', selector: "app == 'db'", ingress: [{ action: 'Deny' }] },
};

describe('policies subgraph: change sets (plan, apply, conflicts; real Postgres)', () => {
  let app: INestApplication;
  let subgraph: SubgraphApp;
  const codec = new InternalIdentityCodec(SECRET);

  const as = (tenantId: string, role: Role = 'editor'): Identity & { tenantId: string } => ({
    kind: 'user',
    tenantId,
    userId: randomUUID(),
    role,
    correlationId: 'change-sets-test',
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
  const plan = (identity: Identity, objects: unknown[], prune?: boolean) =>
    call(identity, `mutation($input: ChangeSetInput!) { planChangeSet(input: $input) { ${PLAN} } }`, {
      input: { objects, prune },
    });
  const apply = (identity: Identity, planId: string) =>
    call(identity, `mutation($id: ID!) { applyChangeSet(planId: $id) { ${APPLIED} } }`, { id: planId });
  const exported = (identity: Identity) => call(identity, '{ changeSetObjects { revision objects } }');
  const counts = (tenantId: string) =>
    app.get(TenantDb).tenant(tenantId, async (m) => ({
      tiers: await m.count(TierEntity),
      policies: await m.count(PolicyEntity),
      versions: await m.count(PolicyVersionEntity),
      plans: await m.count(ChangeSetPlanEntity),
    }));

  beforeAll(async () => {
    subgraph = await startSubgraphApp(AppModule, { identitySecret: SECRET });
    app = subgraph.app;
  });

  afterAll(async () => {
    await subgraph?.close();
  });

  it('plans creates, applies them under one change id, and plans the exported objects as unchanged', async () => {
    const editor = as(randomUUID());
    const planned = await plan(editor, [tier('platform', 100), web(), stagedDb]);
    expect(planned.errors).toBeUndefined();
    const first = planned.data!.planChangeSet;
    expect(first.hasChanges).toBe(true);
    expect(first.entries.map((e: Loose) => [e.index, e.action, e.kind, e.name, e.namespace])).toEqual([
      [0, 'Create', 'Tier', 'platform', null],
      [1, 'Create', 'GlobalNetworkPolicy', 'allow-web', null],
      [2, 'Create', 'StagedNetworkPolicy', 'db-only', 'shop'],
    ]);
    expect(first.entries[1].diff).toEqual([expect.objectContaining({ op: 'Add', path: '', before: null })]);
    // The what-if changes are the two policies, in whatIf's CreatePolicyInput shape.
    expect(first.whatIfChanges).toEqual([
      { upsert: expect.objectContaining({ kind: 'GlobalNetworkPolicy', name: 'allow-web' }) },
      {
        upsert: expect.objectContaining({
          kind: 'NetworkPolicy',
          name: 'db-only',
          namespace: 'shop',
          spec: expect.objectContaining({ staged: true }),
        }),
      },
    ]);
    expect(await counts(editor.tenantId)).toMatchObject({ policies: 0, plans: 1 });

    const applied = await apply(editor, first.id);
    expect(applied.errors).toBeUndefined();
    const { changeId } = applied.data!.applyChangeSet;
    expect(applied.data!.applyChangeSet).toMatchObject({
      planId: first.id,
      created: 3,
      updated: 0,
      deleted: 0,
    });
    const db = app.get(TenantDb);
    const versions = await db.tenant(editor.tenantId, (m) => m.find(PolicyVersionEntity));
    expect(versions.map((v) => v.changeId)).toEqual([changeId, changeId]);
    expect(await db.tenant(editor.tenantId, (m) => m.countBy(ConfigChangeEntity, { changeId }))).toBe(1);

    // Applying the same plan again is refused and changes nothing.
    const again = await apply(editor, first.id);
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'PLAN_APPLIED' });

    const live = (await exported(editor)).data!.changeSetObjects;
    expect(live.objects.map((o: Loose) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Tier/platform',
      'GlobalNetworkPolicy/allow-web',
      'StagedNetworkPolicy/db-only',
    ]);
    const round = (await plan(editor, live.objects)).data!.planChangeSet;
    expect(round.hasChanges).toBe(false);
    expect(round.revision).toBe(live.revision);
    expect(round.entries.map((e: Loose) => e.action)).toEqual(['Unchanged', 'Unchanged', 'Unchanged']);
    // The objects as first written (defaults left out, a port as a number) are unchanged too.
    const same = (await plan(editor, [tier('platform', 100), web(), stagedDb])).data!.planChangeSet;
    expect(same.hasChanges).toBe(false);
  });

  it('shows an update as JSON-pointer diffs and prune as deletes', async () => {
    const editor = as(randomUUID());
    await apply(
      editor,
      (await plan(editor, [tier('platform', 100), web(), stagedDb])).data!.planChangeSet.id,
    );
    const planned = (await plan(editor, [tier('platform', 100), web('Deny')], true)).data!.planChangeSet;
    expect(planned.entries.map((e: Loose) => [e.index, e.action, e.name])).toEqual([
      [0, 'Unchanged', 'platform'],
      [1, 'Update', 'allow-web'],
      [null, 'Delete', 'db-only'],
    ]);
    expect(planned.entries[1].diff).toEqual([
      { op: 'Replace', path: '/spec/ingress/0/action', before: '"Allow"', after: '"Deny"' },
    ]);
    // In apply order: policy deletes first.
    expect(planned.whatIfChanges).toEqual([
      { remove: { kind: 'NetworkPolicy', name: 'db-only', namespace: 'shop', staged: true } },
      {
        upsert: expect.objectContaining({
          name: 'allow-web',
          spec: expect.objectContaining({ tier: 'platform' }),
        }),
      },
    ]);
    const applied = (await apply(editor, planned.id)).data!.applyChangeSet;
    expect(applied).toMatchObject({ created: 0, updated: 1, deleted: 1 });
    expect(await counts(editor.tenantId)).toMatchObject({ policies: 1, versions: 4 });
  });

  it('warns of a policy an earlier unconditional Deny for all endpoints always decides first', async () => {
    const editor = as(randomUUID());
    const denyAll = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'GlobalNetworkPolicy',
      metadata: { name: 'deny-all' },
      spec: { tier: 'platform', selector: 'all()', types: ['Ingress'], ingress: [{ action: 'Deny' }] },
    };
    const later = { ...web(), spec: { ...web().spec, tier: 'default' } };
    const planned = (await plan(editor, [tier('platform', 100), denyAll, later])).data!.planChangeSet;
    expect(planned.warnings).toEqual([
      {
        index: 2,
        kind: 'GlobalNetworkPolicy',
        name: 'allow-web',
        namespace: null,
        message: expect.stringContaining('GlobalNetworkPolicy deny-all (tier platform), evaluated before it'),
      },
    ]);
    // Applied, the policy API shows the same warning.
    expect((await apply(editor, planned.id)).errors).toBeUndefined();
    const live = await call(editor, '{ policyWarnings { kind name namespace message } }');
    expect(live.data!.policyWarnings).toEqual([
      {
        kind: 'GlobalNetworkPolicy',
        name: 'allow-web',
        namespace: null,
        message: planned.warnings[0].message,
      },
    ]);
    // Without the Deny (pruned) there is nothing to warn of.
    expect((await plan(editor, [tier('platform', 100), later], true)).data!.planChangeSet.warnings).toEqual(
      [],
    );
  });

  it('plans and applies compliance zones with the rest, and checks their references against the zones it leaves', async () => {
    const editor = as(randomUUID());
    const zone = (name: string, clusterSelector: string, allowedZones: string[] = []) => ({
      apiVersion: 'meshplane.io/v1',
      kind: 'ComplianceZone',
      metadata: { name },
      spec: { clusterSelector, isolation: { allowedZones } },
    });
    const planned = (await plan(editor, [zone('eu', "geo == 'eu'", ['uk']), zone('uk', "geo == 'uk'")])).data!
      .planChangeSet;
    expect(planned.entries.map((e: Loose) => `${e.action} ${e.kind} ${e.name}`)).toEqual([
      'Create ComplianceZone eu',
      'Create ComplianceZone uk',
    ]);
    expect(planned.whatIfChanges).toEqual([]);
    const applied = (await apply(editor, planned.id)).data!.applyChangeSet;
    expect(applied.created).toBe(2);
    const db = app.get(TenantDb);
    const zones = await db.tenant(editor.tenantId, (m) =>
      m.find(ComplianceZoneEntity, { order: { name: 'ASC' } }),
    );
    expect(zones.map((z) => [z.name, z.clusterSelector, z.allowedZones])).toEqual([
      ['eu', "geo == 'eu'", ['uk']],
      ['uk', "geo == 'uk'", []],
    ]);
    expect(
      await db.tenant(editor.tenantId, (m) => m.countBy(ConfigChangeEntity, { changeId: applied.changeId })),
    ).toBe(1);
    const live = (await exported(editor)).data!.changeSetObjects;
    expect((await plan(editor, live.objects)).data!.planChangeSet.hasChanges).toBe(false);

    // Pruning uk while eu still allows it: refused at eu's reference.
    const refused = await plan(editor, [zone('eu', "geo == 'eu'", ['uk'])], true);
    expect(refused.errors?.[0]?.extensions?.issues).toEqual([
      { index: 0, path: 'spec.isolation.allowedZones[0]', message: "no compliance zone named 'uk'" },
    ]);
    const wrongVersion = await plan(editor, [{ ...zone('x', 'all()'), apiVersion: 'projectcalico.org/v3' }]);
    expect(wrongVersion.errors?.[0]?.extensions?.issues).toEqual([
      { index: 0, path: 'apiVersion', message: 'must be meshplane.io/v1 for a ComplianceZone' },
    ]);
  });

  it("plans and applies the mesh-wide WireGuard settings as Calico's FelixConfiguration default", async () => {
    const editor = as(randomUUID());
    const felix = (spec: Record<string, unknown>, name = 'default') => ({
      apiVersion: 'projectcalico.org/v3',
      kind: 'FelixConfiguration',
      metadata: { name },
      spec,
    });
    const planned = (await plan(editor, [felix({ wireguardEnabled: true, wireguardMTU: 1400 })])).data!
      .planChangeSet;
    expect(planned.entries.map((e: Loose) => `${e.action} ${e.kind} ${e.name}`)).toEqual([
      'Create FelixConfiguration default',
    ]);
    expect((await apply(editor, planned.id)).errors).toBeUndefined();
    const row = await app
      .get(TenantDb)
      .tenant(editor.tenantId, (m) => m.findOneByOrFail(EncryptionSettingEntity, { scope: 'mesh' }));
    expect(row.settings).toEqual({ wireguardEnabled: true, wireguardMTU: 1400 });
    const live = (await exported(editor)).data!.changeSetObjects;
    expect(live.objects).toEqual([felix({ wireguardEnabled: true, wireguardMTU: 1400 })]);
    expect((await plan(editor, live.objects)).data!.planChangeSet.hasChanges).toBe(false);

    const bad = await plan(editor, [
      felix({ wireguardMTU: 10, wireguardEnabled: 'yes', logSeverityScreen: 'Info' }, 'node.a'),
    ]);
    expect(bad.errors?.[0]?.extensions?.issues.map((i: Loose) => i.path)).toEqual([
      'metadata.name',
      'spec.wireguardEnabled',
      'spec.logSeverityScreen',
    ]);
    const range = await plan(editor, [felix({ wireguardMTU: 10 })]);
    expect(range.errors?.[0]?.extensions?.issues).toEqual([
      { index: 0, path: 'spec.wireguardMTU', message: 'must be 0 or between 68 and 65535' },
    ]);
  });

  it('names every bad field with its object index and path, and stores nothing', async () => {
    const editor = as(randomUUID());
    const bad = { ...web(), spec: { ...web().spec, ingress: [{ action: 'Alow' }] } };
    const result = await plan(editor, [
      tier('platform', 100),
      bad,
      { ...stagedDb, spec: { ...stagedDb.spec, tier: 'nope' } },
    ]);
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.objects.1.spec.ingress[0].action',
    });
    expect(result.errors![0]!.extensions.issues).toEqual([
      { index: 1, path: 'spec.ingress[0].action', message: expect.any(String) },
      { index: 2, path: 'spec.tier', message: expect.stringContaining('nope') },
    ]);
    expect(await counts(editor.tenantId)).toMatchObject({ tiers: 0, policies: 0, plans: 0 });
  });

  it('applies one of two plans of the same revision; the other is refused with CONFLICT and changes nothing', async () => {
    const editor = as(randomUUID());
    const a = (await plan(editor, [tier('platform', 100), web()])).data!.planChangeSet;
    const b = (await plan(editor, [tier('platform', 200), stagedDb])).data!.planChangeSet;
    expect(a.revision).toBe(b.revision);
    const results = await Promise.all([apply(editor, a.id), apply(editor, b.id)]);
    const codes = results.map((r) => r.errors?.[0]?.extensions?.reason ?? 'applied').sort();
    expect(codes).toEqual(['PLAN_STALE', 'applied']);
    const conflict = results.find((r) => r.errors)!;
    expect(conflict.errors![0]!.extensions.code).toBe('CONFLICT');
    // Only the winner's objects exist.
    const winner = results[0]!.errors ? 'b' : 'a';
    expect(await counts(editor.tenantId)).toMatchObject({ tiers: 2, policies: 1 });
    const names = (await exported(editor)).data!.changeSetObjects.objects.map((o: Loose) => o.metadata.name);
    expect(names).toEqual(winner === 'a' ? ['platform', 'allow-web'] : ['platform', 'db-only']);
  });

  it('refuses a plan once anything changed through the other mutations', async () => {
    const editor = as(randomUUID());
    const planned = (await plan(editor, [tier('platform', 100)])).data!.planChangeSet;
    const created = await call(editor, 'mutation { createTier(input: {name: "other", order: 300}) { id } }');
    expect(created.errors).toBeUndefined();
    const result = await apply(editor, planned.id);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'PLAN_STALE' });
    expect(await counts(editor.tenantId)).toMatchObject({ tiers: 2 }); // default + other
  });

  it("refuses viewers, and another tenant's plan is not found", async () => {
    const tenantId = randomUUID();
    const viewer = await plan(as(tenantId, 'viewer'), [tier('platform', 100)]);
    expect(viewer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const planned = (await plan(as(tenantId), [tier('platform', 100)])).data!.planChangeSet;
    const other = await apply(as(randomUUID()), planned.id);
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'PLAN_NOT_FOUND' });
  });
});
