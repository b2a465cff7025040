import { randomUUID } from 'node:crypto';
import { TenantDb } from '@meshplane/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompileRequestEntity } from '../src/bundles/bundle.entities.js';
import type { PolicyObject } from '../src/compiler/calico-objects.js';
import { compileBundles } from '../src/compiler/federation-compiler.js';
import { ComplianceZoneEntity } from '../src/zones/zone.entity.js';
import { loadZoneCompileInput } from '../src/zones/zone-compile-input.js';
import { as, type Loose, type PoliciesTestApp, startPoliciesApp } from './inventory-harness.js';

const ZONE = 'id name clusterSelector isolation { allowedZones } createdAt updatedAt';
const CHANGE = `zoneId changeId zone { ${ZONE} }`;
const CREATE = `mutation($input: CreateComplianceZoneInput!) { createComplianceZone(input: $input) { ${CHANGE} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateComplianceZoneInput!) { updateComplianceZone(id: $id, input: $input) { ${CHANGE} } }`;
const DELETE = `mutation($id: ID!) { deleteComplianceZone(id: $id) { ${CHANGE} } }`;

describe('compliance zones (policies subgraph, real Postgres)', () => {
  let t: PoliciesTestApp;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  const clusters = {
    euWest: { id: randomUUID(), name: 'eu-west-1', labels: { geo: 'eu' } },
    usEast: { id: randomUUID(), name: 'us-east-1', labels: { geo: 'us' } },
  };

  const errorOf = (result: { errors?: Array<{ extensions: Loose }> }) => result.errors?.[0]?.extensions;
  const zoneCount = (tenantId: string) =>
    t.app.get(TenantDb).tenant(tenantId, (m) => m.count(ComplianceZoneEntity));

  beforeAll(async () => {
    t = await startPoliciesApp();
    t.inventory.set(tenantA, [clusters.euWest, clusters.usEast]);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('lets viewers read and refuses them writes (FORBIDDEN)', async () => {
    const list = await t.call(as(tenantA, 'viewer'), '{ complianceZones { id } }');
    expect(list).toEqual({ data: { complianceZones: [] } });
    const refused = await t.call(as(tenantA, 'viewer'), CREATE, {
      input: { name: 'eu', clusterSelector: "geo == 'eu'" },
    });
    expect(errorOf(refused)?.code).toBe('FORBIDDEN');
    expect(await zoneCount(tenantA)).toBe(0);
  });

  it('refuses bad input with the field path, storing nothing', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: 'EU zone', clusterSelector: "geo == 'eu'" }, 'input.name'],
      [{ name: 'eu', clusterSelector: "geo == 'eu" }, 'input.clusterSelector'],
      [{ name: 'eu', clusterSelector: '' }, 'input.clusterSelector'],
      [
        { name: 'eu', clusterSelector: "geo == 'eu'", isolation: { allowedZones: ['nowhere'] } },
        'input.isolation.allowedZones[0]',
      ],
      [
        { name: 'eu', clusterSelector: "geo == 'eu'", isolation: { allowedZones: ['eu'] } },
        'input.isolation.allowedZones[0]',
      ],
    ];
    for (const [input, field] of cases) {
      const result = await t.call(as(tenantA), CREATE, { input });
      expect([field, errorOf(result)?.code, errorOf(result)?.field]).toEqual([
        field,
        'BAD_USER_INPUT',
        field,
      ]);
    }
    const selectorError = await t.call(as(tenantA), CREATE, {
      input: { name: 'eu', clusterSelector: "geo == 'eu" },
    });
    expect(selectorError.errors?.[0]?.message).toMatch(/^input\.clusterSelector: invalid selector/);
    expect(await zoneCount(tenantA)).toBe(0);
  });

  it('creates, reads, updates and deletes zones; each change requests a recompile under its changeId', async () => {
    const created = await t.call(as(tenantA), CREATE, {
      input: { name: 'eu', clusterSelector: "geo == 'eu'" },
    });
    expect(created.errors).toBeUndefined();
    const eu = created.data!.createComplianceZone;
    expect(eu.zone).toMatchObject({
      name: 'eu',
      clusterSelector: "geo == 'eu'",
      isolation: { allowedZones: [] },
    });
    expect(eu.zoneId).toBe(eu.zone.id);

    const duplicate = await t.call(as(tenantA), CREATE, { input: { name: 'eu', clusterSelector: 'all()' } });
    expect([errorOf(duplicate)?.code, errorOf(duplicate)?.field]).toEqual(['CONFLICT', 'input.name']);

    const us = (
      await t.call(as(tenantA), CREATE, {
        input: { name: 'us', clusterSelector: "geo == 'us'", isolation: { allowedZones: ['eu'] } },
      })
    ).data!.createComplianceZone;
    expect(us.zone.isolation.allowedZones).toEqual(['eu']);

    const read = await t.call(
      as(tenantA, 'viewer'),
      `query($id: ID!) { complianceZone(id: $id) { ${ZONE} } }`,
      {
        id: eu.zoneId,
      },
    );
    expect(read.data!.complianceZone.name).toBe('eu');

    const badUpdate = await t.call(as(tenantA), UPDATE, {
      id: eu.zoneId,
      input: { clusterSelector: 'geo ==' },
    });
    expect(errorOf(badUpdate)?.field).toBe('input.clusterSelector');
    const updated = await t.call(as(tenantA), UPDATE, {
      id: eu.zoneId,
      input: { clusterSelector: "geo == 'eu' || meshplane.io/cluster == 'lab'" },
    });
    expect(updated.data!.updateComplianceZone.zone.clusterSelector).toBe(
      "geo == 'eu' || meshplane.io/cluster == 'lab'",
    );

    // 'us' allows 'eu': 'eu' cannot go before 'us' lets go of it.
    const inUse = await t.call(as(tenantA), DELETE, { id: eu.zoneId });
    expect(errorOf(inUse)?.code).toBe('CONFLICT');
    expect(inUse.errors?.[0]?.message).toMatch(/'us'/);
    await t.call(as(tenantA), UPDATE, { id: us.zoneId, input: { isolation: { allowedZones: [] } } });
    const deleted = await t.call(as(tenantA), DELETE, { id: eu.zoneId });
    expect(deleted.data!.deleteComplianceZone).toMatchObject({ zoneId: eu.zoneId, zone: null });

    const requests = await t.app
      .get(TenantDb)
      .tenant(tenantA, (m) => m.find(CompileRequestEntity, { where: { tenantId: tenantA } }));
    const changeIds = new Set(requests.map((r) => r.changeId));
    for (const change of [eu, us, updated.data!.updateComplianceZone, deleted.data!.deleteComplianceZone])
      expect(changeIds.has(change.changeId)).toBe(true);
    // Refused writes requested nothing: 3 creates/updates + 1 isolation update + 1 delete.
    expect(requests).toHaveLength(5);
    await t.call(as(tenantA), DELETE, { id: us.zoneId });
  });

  it("keeps one tenant's zones invisible and untouchable to another", async () => {
    const a = (await t.call(as(tenantA), CREATE, { input: { name: 'private', clusterSelector: 'all()' } }))
      .data!.createComplianceZone;
    expect((await t.call(as(tenantB, 'viewer'), '{ complianceZones { id } }')).data!.complianceZones).toEqual(
      [],
    );
    for (const [query, variables] of [
      [`query($id: ID!) { complianceZone(id: $id) { id } }`, { id: a.zoneId }],
      [UPDATE, { id: a.zoneId, input: { clusterSelector: 'all()' } }],
      [DELETE, { id: a.zoneId }],
    ] as const) {
      expect(errorOf(await t.call(as(tenantB, 'owner'), query, variables))?.code).toBe('NOT_FOUND');
    }
    await t.call(as(tenantA), DELETE, { id: a.zoneId });
  });

  it('compiles the stored zones into the compliance tier of exactly the clusters they separate', async () => {
    await t.call(as(tenantA), CREATE, { input: { name: 'eu-only', clusterSelector: "geo == 'eu'" } });
    const zones = await t.app.get(TenantDb).tenant(tenantA, (m) => loadZoneCompileInput(m, tenantA));
    expect(zones).toEqual([{ name: 'eu-only', clusterSelector: "geo == 'eu'", allowedZones: [] }]);
    const bundles = compileBundles({
      tiers: [],
      policies: [],
      clusters: [clusters.euWest, clusters.usEast],
      endpoints: [
        {
          clusterId: clusters.euWest.id,
          namespace: 'shop',
          name: 'db-0',
          labels: { app: 'db' },
          ips: ['10.1.0.10'],
        },
      ],
      zones,
    });
    const us = bundles.get(clusters.usEast.id)!;
    const policy = us.objects.find((o): o is PolicyObject => o.kind === 'GlobalNetworkPolicy')!;
    expect(policy.metadata.name).toBe('meshplane-compliance.isolation');
    expect(policy.spec.egress?.[0]).toMatchObject({ action: 'Deny' });
    // us-east-1 has `shop` (it is its pods' namespace): the remote pod is a NetworkSet there.
    expect(us.objects.filter((o) => o.kind === 'NetworkSet' && o.metadata.namespace === 'shop')).toHaveLength(
      1,
    );
  });
});

describe('the reserved compliance tier (tiers and policies services)', () => {
  let t: PoliciesTestApp;
  const tenant = randomUUID();
  const createTier = (input: Record<string, unknown>) =>
    t.call(as(tenant), `mutation($input: CreateTierInput!) { createTier(input: $input) { id name order } }`, {
      input,
    });

  beforeAll(async () => {
    t = await startPoliciesApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('refuses tenant tiers at or before its order, and its name', async () => {
    for (const order of [0, -10]) {
      const result = await createTier({ name: `early${Math.abs(order)}`, order });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.order' });
      expect(result.errors?.[0]?.message).toMatch(/meshplane-compliance/);
    }
    const reserved = await createTier({ name: 'meshplane-compliance', order: 5 });
    expect(reserved.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    const fine = await createTier({ name: 'first', order: 0.5 });
    expect(fine.data!.createTier.order).toBe(0.5);
    const moved = await t.call(
      as(tenant),
      `mutation($id: ID!) { updateTier(id: $id, input: { order: 0 }) { order } }`,
      { id: fine.data!.createTier.id },
    );
    expect(moved.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.order' });
    const tiers = await t.call(as(tenant, 'viewer'), '{ tiers { name order } }');
    expect(tiers.data!.tiers.map((tier: Loose) => tier.name)).toEqual(['first', 'default']);
  });

  it('refuses a tenant policy in the compliance tier', async () => {
    const result = await t.call(
      as(tenant),
      `mutation($input: CreatePolicyInput!) { createPolicy(input: $input) { policyId } }`,
      {
        input: {
          kind: 'GlobalNetworkPolicy',
          name: 'sneaky',
          spec: { tier: 'meshplane-compliance', selector: 'all()', ingress: [{ action: 'Allow' }] },
        },
      },
    );
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.spec.tier',
    });
  });
});
