import { randomUUID } from 'node:crypto';
import { TenantDb } from '@meshplane/platform';
import type { InventoryObject } from '@meshplane/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompileRequestEntity } from '../src/bundles/bundle.entities.js';
import type { FelixConfigurationObject } from '../src/compiler/calico-objects.js';
import { compileBundles } from '../src/compiler/federation-compiler.js';
import { loadEncryptionCompileInput } from '../src/encryption/encryption-compile-input.js';
import { EncryptionSettingEntity } from '../src/encryption/encryption-setting.entity.js';
import { as, type Loose, type PoliciesTestApp, startPoliciesApp } from './inventory-harness.js';

const SETTING = `clusterId wireguardEnabled wireguardEnabledV6 wireguardHostEncryptionEnabled wireguardListeningPort
  wireguardListeningPortV6 wireguardMTU wireguardMTUV6 wireguardKeepAlive wireguardRoutingRulePriority
  wireguardThreadingEnabled updatedAt`;
const SET = `mutation($input: SetEncryptionInput!) { setEncryption(input: $input) { changeId setting { ${SETTING} } } }`;
const STATUS = `{ encryptionStatus {
  clusters { clusterId clusterName wireguardEnabled nodeCount nodesWithPublicKey nodesWithoutPublicKey blockers }
  pairs { clusterA clusterB encrypted blockers { clusterId reason } } } }`;

const node = (name: string, key?: string): InventoryObject => ({
  kind: 'node',
  name,
  labels: {},
  annotations: key ? { 'projectcalico.org/WireguardPublicKey': key } : {},
  internalIPs: ['192.168.1.1'],
});

describe('encryption settings and status (policies subgraph, real Postgres)', () => {
  let t: PoliciesTestApp;
  const tenant = randomUUID();
  const other = randomUUID();
  const eu = { id: randomUUID(), name: 'eu-west-1', labels: {} };
  const us = { id: randomUUID(), name: 'us-east-1', labels: {} };
  const ap = { id: randomUUID(), name: 'ap-south-1', labels: {} };
  const errorOf = (result: { errors?: Array<{ extensions: Loose }> }) => result.errors?.[0]?.extensions;
  const rows = (tenantId: string) =>
    t.app.get(TenantDb).tenant(tenantId, (m) => m.count(EncryptionSettingEntity));

  beforeAll(async () => {
    t = await startPoliciesApp();
    t.inventory.set(
      tenant,
      [eu, us, ap],
      [
        [eu.id, node('eu-1', 'a2V5MQ==')],
        [eu.id, node('eu-2', 'a2V5Mg==')],
        [us.id, node('us-1', 'a2V5Mw==')],
        [us.id, node('us-2')],
      ],
    );
    t.inventory.set(other, [{ id: randomUUID(), name: 'other-1', labels: {} }]);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('lists an empty mesh-wide setting before anything is set, to viewers too', async () => {
    const result = await t.call(as(tenant, 'viewer'), `{ encryptionSettings { ${SETTING} } }`);
    expect(result.data!.encryptionSettings).toEqual([
      expect.objectContaining({ clusterId: null, wireguardEnabled: null, updatedAt: null }),
    ]);
    expect(
      errorOf(await t.call(as(tenant, 'viewer'), SET, { input: { wireguardEnabled: true } }))?.code,
    ).toBe('FORBIDDEN');
  });

  it('refuses bad values and unknown or foreign clusters with the field, storing nothing', async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ wireguardListeningPort: 70000 }, 'input.wireguardListeningPort', 'BAD_USER_INPUT'],
      [{ wireguardMTU: 40 }, 'input.wireguardMTU', 'BAD_USER_INPUT'],
      [{ wireguardMTUV6: 1000 }, 'input.wireguardMTUV6', 'BAD_USER_INPUT'],
      [{ wireguardKeepAlive: '25 seconds' }, 'input.wireguardKeepAlive', 'BAD_USER_INPUT'],
      [
        { wireguardListeningPort: 51820, wireguardListeningPortV6: 51820 },
        'input.wireguardListeningPortV6',
        'BAD_USER_INPUT',
      ],
      [{ clusterId: randomUUID(), wireguardEnabled: true }, 'input.clusterId', 'NOT_FOUND'],
    ];
    for (const [input, field, code] of cases) {
      const result = await t.call(as(tenant), SET, { input });
      expect([field, errorOf(result)?.code, errorOf(result)?.field]).toEqual([field, code, field]);
    }
    const foreign = await t.call(as(other, 'owner'), SET, {
      input: { clusterId: eu.id, wireguardEnabled: true },
    });
    expect(errorOf(foreign)?.code).toBe('NOT_FOUND');
    expect(await rows(tenant)).toBe(0);
    expect(await rows(other)).toBe(0);
  });

  it('stores mesh-wide and per-cluster settings, compiles them field by field, and requests a recompile', async () => {
    const mesh = await t.call(as(tenant), SET, {
      input: { wireguardEnabled: true, wireguardMTU: 1400, wireguardKeepAlive: '25s' },
    });
    expect(mesh.data!.setEncryption.setting).toMatchObject({
      clusterId: null,
      wireguardEnabled: true,
      wireguardMTU: 1400,
    });
    const override = await t.call(as(tenant), SET, {
      input: { clusterId: ap.id, wireguardEnabled: false, wireguardMTU: 1380 },
    });
    expect(override.data!.setEncryption.setting).toMatchObject({ clusterId: ap.id, wireguardEnabled: false });

    const list = (await t.call(as(tenant, 'viewer'), `{ encryptionSettings { ${SETTING} } }`)).data!
      .encryptionSettings;
    expect(list.map((s: Loose) => s.clusterId)).toEqual([null, ap.id]);

    const encryption = await t.app.get(TenantDb).tenant(tenant, (m) => loadEncryptionCompileInput(m, tenant));
    const bundles = compileBundles({
      tiers: [],
      policies: [],
      clusters: [eu, us, ap],
      endpoints: [],
      encryption,
    });
    const felix = (id: string) =>
      bundles.get(id)!.objects.find((o): o is FelixConfigurationObject => o.kind === 'FelixConfiguration')!
        .spec;
    expect(felix(eu.id)).toEqual({ wireguardEnabled: true, wireguardMTU: 1400, wireguardKeepAlive: '25s' });
    expect(felix(ap.id)).toEqual({ wireguardEnabled: false, wireguardMTU: 1380, wireguardKeepAlive: '25s' });

    const requests = await t.app
      .get(TenantDb)
      .tenant(tenant, (m) => m.find(CompileRequestEntity, { where: { tenantId: tenant } }));
    expect(requests.map((r) => r.changeId).sort()).toEqual(
      [mesh.data!.setEncryption.changeId, override.data!.setEncryption.changeId].sort(),
    );
  });

  it('replaces a scope’s settings: fields left out are unset again', async () => {
    const result = await t.call(as(tenant), SET, { input: { clusterId: ap.id, wireguardMTU: 1300 } });
    expect(result.data!.setEncryption.setting).toMatchObject({ wireguardEnabled: null, wireguardMTU: 1300 });
  });

  it('reports which cluster pairs are encrypted, and why the others are not', async () => {
    const { encryptionStatus } = (await t.call(as(tenant, 'viewer'), STATUS)).data!;
    const byName = Object.fromEntries(encryptionStatus.clusters.map((c: Loose) => [c.clusterName, c]));
    expect(byName['eu-west-1']).toMatchObject({
      wireguardEnabled: true,
      nodeCount: 2,
      nodesWithPublicKey: 2,
      blockers: [],
    });
    expect(byName['us-east-1']).toMatchObject({
      wireguardEnabled: true,
      nodesWithoutPublicKey: ['us-2'],
      blockers: ['NODES_WITHOUT_PUBLIC_KEY'],
    });
    // ap-south-1: its override no longer sets wireguardEnabled, so it inherits the mesh-wide true.
    expect(byName['ap-south-1']).toMatchObject({ wireguardEnabled: true, blockers: ['NO_NODES_REPORTED'] });
    expect(encryptionStatus.pairs).toHaveLength(3);
    expect(encryptionStatus.pairs.some((p: Loose) => p.encrypted)).toBe(false);

    // us-2 gets its key: eu-west-1 ⇄ us-east-1 is encrypted.
    t.inventory.set(
      tenant,
      [eu, us, ap],
      [
        [eu.id, node('eu-1', 'a2V5MQ==')],
        [eu.id, node('eu-2', 'a2V5Mg==')],
        [us.id, node('us-1', 'a2V5Mw==')],
        [us.id, node('us-2', 'a2V5NA==')],
      ],
    );
    const after = (await t.call(as(tenant, 'viewer'), STATUS)).data!.encryptionStatus;
    const encrypted = after.pairs
      .filter((p: Loose) => p.encrypted)
      .map((p: Loose) => [p.clusterA, p.clusterB].sort());
    expect(encrypted).toEqual([[eu.id, us.id].sort()]);
  });

  it('says the clusters service is unavailable instead of guessing', async () => {
    t.inventory.unavailable = true;
    try {
      expect(errorOf(await t.call(as(tenant, 'viewer'), STATUS))?.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      t.inventory.unavailable = false;
    }
  });
});
