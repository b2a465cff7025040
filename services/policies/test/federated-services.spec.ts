import { randomUUID } from 'node:crypto';
import type { InventoryObject } from '@meshplane/protocol';
import { validateKubernetesObject } from '@meshplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileBundles } from '../src/compiler/federation-compiler.js';
import { federationInventory } from '../src/federated-services/federation-inventory.js';
import { as, type Loose, type PoliciesTestApp, startPoliciesApp } from './inventory-harness.js';

const QUERY = `{ federatedServices { clusterId namespace name mode selector selectorError failover
  members { clusterId namespace name locality addresses } endpointSlices endpointCount } }`;

function service(
  name: string,
  extra: Partial<Extract<InventoryObject, { kind: 'service' }>> = {},
): InventoryObject {
  return {
    kind: 'service',
    namespace: 'shop',
    name,
    labels: {},
    annotations: {},
    selector: { app: name },
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    clusterIPs: ['10.96.0.20'],
    type: 'ClusterIP',
    ...extra,
  };
}

function slice(serviceName: string, addresses: Array<[string, boolean]>): InventoryObject {
  return {
    kind: 'endpointslice',
    namespace: 'shop',
    name: `${serviceName}-${addresses.length}x`,
    service: serviceName,
    addressType: 'IPv4',
    endpoints: addresses.map(([address, ready]) => ({ addresses: [address], ready })),
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  };
}

describe('federatedServices query (policies subgraph, inventory from the clusters service)', () => {
  let t: PoliciesTestApp;
  const tenant = randomUUID();
  const eu = { id: randomUUID(), name: 'eu-west-1', labels: {} };
  const us = { id: randomUUID(), name: 'us-east-1', labels: {} };
  const objects: Array<[string, InventoryObject]> = [
    [
      us.id,
      service('web-global', {
        selector: null,
        annotations: {
          'federation.meshplane.io/serviceSelector': "federate == 'web'",
          'federation.meshplane.io/failover': 'true',
        },
      }),
    ],
    [us.id, service('web', { labels: { federate: 'web' } })],
    [us.id, slice('web', [['10.3.0.5', true]])],
    [eu.id, service('web', { labels: { federate: 'web' } })],
    [
      eu.id,
      slice('web', [
        ['10.1.0.5', true],
        ['10.1.0.6', false],
      ]),
    ],
    [eu.id, service('api')],
    [eu.id, slice('api', [['10.1.0.9', true]])],
    [eu.id, { kind: 'serviceexport', namespace: 'shop', name: 'api' }],
    [us.id, service('api', { selector: null })],
  ];

  beforeAll(async () => {
    t = await startPoliciesApp();
    t.inventory.set(tenant, [eu, us], objects);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('lists each federated service with its members and their ready endpoints per cluster', async () => {
    const result = await t.call(as(tenant, 'viewer'), QUERY);
    expect(result.errors).toBeUndefined();
    const [api, web] = result.data!.federatedServices as Loose[];
    expect(web).toMatchObject({
      clusterId: us.id,
      name: 'web-global',
      mode: 'ServiceSelector',
      selector: "federate == 'web'",
      failover: true,
      endpointCount: 2,
    });
    const members = Object.fromEntries(web.members.map((m: Loose) => [m.clusterId, m]));
    expect(members[eu.id]).toMatchObject({ name: 'web', locality: 'Remote', addresses: ['10.1.0.5'] });
    expect(members[us.id]).toMatchObject({ name: 'web', locality: 'Local', addresses: ['10.3.0.5'] });
    expect(web.endpointSlices).toHaveLength(2);
    expect(api).toMatchObject({ clusterId: us.id, name: 'api', mode: 'ServiceExport', endpointCount: 1 });
    expect(api.members).toEqual([
      { clusterId: eu.id, namespace: 'shop', name: 'api', locality: 'Remote', addresses: ['10.1.0.9'] },
    ]);
  });

  it('feeds the compiler through federationInventory, which writes valid slices into the consumer cluster', () => {
    const inventory = {
      clusters: [eu, us],
      objects: objects.map(([clusterId, object]) => ({ clusterId, object })),
    };
    const bundles = compileBundles({
      tiers: [],
      policies: [],
      clusters: [eu, us],
      endpoints: [],
      federation: federationInventory(inventory),
    });
    const slices = bundles.get(us.id)!.objects.filter((o) => o.kind === 'EndpointSlice');
    expect(slices).toHaveLength(3);
    for (const s of slices) validateKubernetesObject(s);
    expect(bundles.get(eu.id)!.objects).toEqual([]);
  });

  it('shows a tenant only its own federated services', async () => {
    const result = await t.call(as(randomUUID(), 'viewer'), QUERY);
    expect(result.data!.federatedServices).toEqual([]);
  });
});
