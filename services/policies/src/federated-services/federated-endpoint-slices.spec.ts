import type { EndpointSliceObject, ServiceExportObject, ServiceObject } from '@meshplane/protocol';
import { validateKubernetesObject } from '@meshplane/testing';
import { describe, expect, it } from 'vitest';
import type { KubeEndpointSlice } from '../compiler/calico-objects.js';
import { CLUSTERS, INPUT } from '../compiler/compiler.fixtures.js';
import type { FederationInventory, Located } from '../compiler/compiler.types.js';
import { compileBundles } from '../compiler/federation-compiler.js';
import { federatedEndpointSlices, federatedServices } from './federated-endpoint-slices.js';

const PG = { name: 'pg', port: 5432, protocol: 'TCP' as const };

function service(
  clusterId: string,
  namespace: string,
  name: string,
  options: Partial<Pick<ServiceObject, 'labels' | 'annotations' | 'selector' | 'ports'>> = {},
): Located<ServiceObject> {
  return {
    clusterId,
    object: {
      kind: 'service',
      namespace,
      name,
      labels: options.labels ?? {},
      annotations: options.annotations ?? {},
      selector: options.selector === undefined ? { app: name } : options.selector,
      ports: options.ports ?? [PG],
      clusterIPs: ['10.96.0.10'],
      type: 'ClusterIP',
    },
  };
}

function slice(
  clusterId: string,
  namespace: string,
  serviceName: string,
  endpoints: Array<[address: string, ready: boolean, node?: string]>,
  options: Partial<Pick<EndpointSliceObject, 'addressType' | 'ports'>> & { name?: string } = {},
): Located<EndpointSliceObject> {
  return {
    clusterId,
    object: {
      kind: 'endpointslice',
      namespace,
      name: options.name ?? `${serviceName}-${Math.abs(hashCode(JSON.stringify(endpoints))).toString(36)}`,
      service: serviceName,
      addressType: options.addressType ?? 'IPv4',
      endpoints: endpoints.map(([address, ready, nodeName]) => ({
        addresses: [address],
        ready,
        ...(nodeName ? { nodeName } : {}),
        targetRef: { kind: 'Pod', namespace, name: `pod-${address}` },
      })),
      ports: options.ports ?? [{ name: 'pg', port: 5432, protocol: 'TCP' }],
    },
  };
}

function hashCode(text: string): number {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return h;
}

const exported = (clusterId: string, namespace: string, name: string): Located<ServiceExportObject> => ({
  clusterId,
  object: { kind: 'serviceexport', namespace, name },
});

const FEDERATED = {
  selector: null,
  annotations: { 'federation.meshplane.io/serviceSelector': "tier == 'db'" },
};

/** us-east-1's shop/db-global federates every `tier == 'db'` Service of `shop`. */
const INVENTORY: FederationInventory = {
  services: [
    service('c-us-east', 'shop', 'db-global', { ...FEDERATED, labels: { tier: 'db' } }),
    service('c-us-east', 'shop', 'db', { labels: { tier: 'db' } }),
    service('c-eu-west', 'shop', 'db', {
      labels: { tier: 'db' },
      ports: [PG, { name: 'metrics', port: 9187, protocol: 'TCP' }],
    }),
    service('c-eu-central', 'shop', 'db-replica', { labels: { tier: 'db' } }),
    service('c-eu-central', 'shop', 'cache', { labels: { tier: 'cache' } }),
    service('c-eu-west', 'billing', 'db', { labels: { tier: 'db' } }),
    // MCS: eu-west-1 exports shop/cart; eu-central-1 imports it with a selector-less Service.
    service('c-eu-west', 'shop', 'cart'),
    service('c-eu-central', 'shop', 'cart', { selector: null }),
  ],
  endpointSlices: [
    slice('c-us-east', 'shop', 'db', [['10.3.0.10', true, 'us-node-1']]),
    slice('c-us-east', 'shop', 'db', [['fd00:3::10', true, 'us-node-1']], { addressType: 'IPv6' }),
    slice(
      'c-eu-west',
      'shop',
      'db',
      [
        ['10.1.0.10', true, 'eu-node-1'],
        ['10.1.0.11', false, 'eu-node-2'],
      ],
      {
        ports: [
          { name: 'pg', port: 5432, protocol: 'TCP' },
          { name: 'metrics', port: 9187, protocol: 'TCP' },
        ],
      },
    ),
    // Same port name, another target port; and a UDP port of the same name, which does not match.
    slice('c-eu-central', 'shop', 'db-replica', [['10.2.0.10', true]], {
      ports: [{ name: 'pg', port: 6432, protocol: 'TCP' }],
    }),
    slice('c-eu-central', 'shop', 'db-replica', [['10.2.0.11', true]], {
      ports: [{ name: 'pg', port: 5432, protocol: 'UDP' }],
    }),
    slice('c-eu-central', 'shop', 'db-replica', [['db.example.com', true]], { addressType: 'FQDN' }),
    slice('c-eu-central', 'shop', 'cache', [['10.2.0.50', true]]),
    slice('c-eu-west', 'billing', 'db', [['10.1.1.10', true]]),
    slice('c-eu-west', 'shop', 'cart', [['10.1.0.30', true]]),
  ],
  serviceExports: [exported('c-eu-west', 'shop', 'cart')],
};

const addressesOf = (slices: readonly KubeEndpointSlice[]) =>
  slices.flatMap((s) => s.endpoints.flatMap((e) => e.addresses)).sort();

describe('federated services', () => {
  const services = federatedServices(CLUSTERS, INVENTORY);
  const dbGlobal = services.find((s) => s.name === 'db-global')!;

  it('finds the serviceSelector and the MCS-import consumers, and nothing else', () => {
    expect(services.map((s) => `${s.clusterId}/${s.namespace}/${s.name}:${s.mode}`)).toEqual([
      'c-eu-central/shop/cart:ServiceExport',
      'c-us-east/shop/db-global:ServiceSelector',
    ]);
  });

  it('takes matching Services of the same namespace from every cluster, never another consumer', () => {
    expect(dbGlobal.members.map((m) => `${m.clusterId}/${m.name}:${m.locality}`)).toEqual([
      'c-eu-central/db-replica:remote',
      'c-eu-west/db:remote',
      'c-us-east/db:local',
    ]);
  });

  it('writes only ready pod IPs on ports matching by name and protocol, keeping each target port', () => {
    expect(addressesOf(dbGlobal.slices)).toEqual(['10.1.0.10', '10.2.0.10', '10.3.0.10', 'fd00:3::10']);
    const portsByAddress = Object.fromEntries(
      dbGlobal.slices.flatMap((s) => s.endpoints.map((e) => [e.addresses[0], s.ports])),
    );
    expect(portsByAddress['10.2.0.10']).toEqual([{ name: 'pg', port: 6432, protocol: 'TCP' }]);
    // The consumer has no `metrics` port, so eu-west-1's slice contributes `pg` only.
    expect(portsByAddress['10.1.0.10']).toEqual([{ name: 'pg', port: 5432, protocol: 'TCP' }]);
  });

  it('labels the slices for Kubernetes and for the agent, and they validate as EndpointSlices', () => {
    for (const s of dbGlobal.slices) {
      expect(s.metadata.namespace).toBe('shop');
      expect(s.metadata.labels).toMatchObject({
        'kubernetes.io/service-name': 'db-global',
        'endpointslice.kubernetes.io/managed-by': 'meshplane.io',
        'app.kubernetes.io/managed-by': 'meshplane',
      });
      expect(() => validateKubernetesObject(s)).not.toThrow();
    }
  });

  it('load-balances local and remote endpoints alike by default, with node names only for local ones', () => {
    for (const s of dbGlobal.slices)
      for (const e of s.endpoints)
        expect(e.conditions).toEqual({ ready: true, serving: true, terminating: false });
    const local = dbGlobal.slices.filter(
      (s) => s.metadata.labels['federation.meshplane.io/locality'] === 'local',
    );
    expect(addressesOf(local)).toEqual(['10.3.0.10', 'fd00:3::10']);
    expect(local.flatMap((s) => s.endpoints.map((e) => e.nodeName))).toEqual(['us-node-1', 'us-node-1']);
    const remote = dbGlobal.slices.filter(
      (s) => s.metadata.labels['federation.meshplane.io/locality'] === 'remote',
    );
    expect(remote.flatMap((s) => s.endpoints).every((e) => e.nodeName === undefined)).toBe(true);
  });

  it('with failover: "true", keeps local endpoints ready and makes remote ones serving-only fallbacks', () => {
    const withFailover: FederationInventory = {
      ...INVENTORY,
      services: INVENTORY.services.map((s) =>
        s.object.name === 'db-global'
          ? service('c-us-east', 'shop', 'db-global', {
              selector: null,
              annotations: { ...FEDERATED.annotations, 'federation.meshplane.io/failover': 'true' },
            })
          : s,
      ),
    };
    const [failover] = federatedServices(CLUSTERS, withFailover).filter((s) => s.name === 'db-global');
    expect(failover!.failover).toBe(true);
    for (const s of failover!.slices) {
      const remote = s.metadata.labels['federation.meshplane.io/locality'] === 'remote';
      for (const e of s.endpoints)
        expect(e.conditions).toEqual(
          remote
            ? { ready: false, serving: true, terminating: true }
            : { ready: true, serving: true, terminating: false },
        );
      expect(() => validateKubernetesObject(s)).not.toThrow();
    }
    expect(addressesOf(failover!.slices)).toEqual(addressesOf(dbGlobal.slices));
  });

  it('gives an MCS importer the endpoints of the same-named exported Services of other clusters', () => {
    const cart = services.find((s) => s.name === 'cart')!;
    expect(cart.members.map((m) => `${m.clusterId}/${m.name}`)).toEqual(['c-eu-west/cart']);
    expect(addressesOf(cart.slices)).toEqual(['10.1.0.30']);
    const withoutExport = federatedServices(CLUSTERS, { ...INVENTORY, serviceExports: [] });
    expect(withoutExport.map((s) => s.name)).toEqual(['db-global']);
  });

  it('reports a serviceSelector that does not parse, and writes nothing for it', () => {
    const broken = federatedServices(CLUSTERS, {
      ...INVENTORY,
      services: [
        service('c-us-east', 'shop', 'bad', {
          selector: null,
          annotations: { 'federation.meshplane.io/serviceSelector': "tier == 'db" },
        }),
      ],
    });
    expect(broken[0]!.selectorError).toMatch(/position|quote|unterminated|string/i);
    expect(broken[0]!.slices).toEqual([]);
  });

  it('is deterministic and splits large services into slices of at most 100 endpoints', () => {
    const many = Array.from({ length: 250 }, (_, i): [string, boolean] => [
      `10.1.${Math.floor(i / 200)}.${i % 200}`,
      true,
    ]);
    const big: FederationInventory = {
      ...INVENTORY,
      endpointSlices: [
        ...INVENTORY.endpointSlices,
        slice('c-eu-west', 'shop', 'db', many, { name: 'db-big' }),
      ],
    };
    const first = federatedEndpointSlices(CLUSTERS, big).get('c-us-east')!;
    const again = federatedEndpointSlices(CLUSTERS, {
      ...big,
      endpointSlices: [...big.endpointSlices].reverse(),
    }).get('c-us-east')!;
    expect(again).toEqual(first);
    expect(Math.max(...first.map((s) => s.endpoints.length))).toBe(100);
    expect(new Set(first.map((s) => s.metadata.name)).size).toBe(first.length);
    // 250 new addresses (10.1.0.10 among them, already in eu-west-1's other slice: kept once) + 3 others.
    expect(addressesOf(first)).toHaveLength(253);
    expect(new Set(addressesOf(first)).size).toBe(253);
  });

  it('lands in the consumer cluster’s bundle, between the network sets and the policies', () => {
    const bundles = compileBundles({ ...INPUT, federation: INVENTORY });
    const us = bundles.get('c-us-east')!;
    const kinds = us.objects.map((o) => o.kind);
    expect(kinds.filter((k) => k === 'EndpointSlice')).toHaveLength(dbGlobal.slices.length);
    expect(kinds.lastIndexOf('NetworkSet')).toBeLessThan(kinds.indexOf('EndpointSlice'));
    expect(kinds.indexOf('EndpointSlice')).toBeLessThan(kinds.indexOf('GlobalNetworkPolicy'));
    expect(bundles.get('c-eu-west')!.objects.some((o) => o.kind === 'EndpointSlice')).toBe(false);
    expect(bundles.get('c-eu-central')!.objects.filter((o) => o.kind === 'EndpointSlice')).toHaveLength(1);
  });
});
