import { COMPLIANCE_TIER_NAME, type Endpoint, evaluateFlow, type Policy, selector } from '@meshplane/policy';
import { type CalicoSchemas, loadCalicoSchemas } from '@meshplane/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BundleObject, NetworkSetObject, PolicyObject, TierObject } from './calico-objects.js';
import { CompilerError } from './compiler.errors.js';
import { CLUSTERS, ENDPOINTS, INPUT, pod, SHOP_DB_INGRESS } from './compiler.fixtures.js';
import type { CompilerCluster, CompilerInput, CompilerZone } from './compiler.types.js';
import { COMPLIANCE_CALICO_NAME, COMPLIANCE_TIER, forbiddenPeers } from './compliance.js';
import { compileBundles, FederationCompiler } from './federation-compiler.js';

const EU_ZONE: CompilerZone = { name: 'eu', clusterSelector: "geo == 'eu'", allowedZones: [] };
const AP: CompilerCluster = { id: 'c-ap-south', name: 'ap-south-1', labels: { geo: 'ap' } };

const peersOf = (result: Map<string, Map<string, string[]>>, clusterId: string) =>
  Object.fromEntries(result.get(clusterId) ?? []);

const compliancePolicyOf = (objects: readonly BundleObject[]) =>
  objects.find(
    (o): o is PolicyObject => o.kind === 'GlobalNetworkPolicy' && o.metadata.name === COMPLIANCE_CALICO_NAME,
  );
/** Remote pods' network sets of both kinds (each pod is published once, as the cluster can hold it). */
const networkSets = (objects: readonly BundleObject[]) =>
  objects.filter((o): o is NetworkSetObject => o.kind === 'GlobalNetworkSet' || o.kind === 'NetworkSet');

describe('compliance zones: which clusters may not talk', () => {
  it("isolates clusters with geo == 'eu' from every other cluster, on both sides", () => {
    const result = forbiddenPeers(CLUSTERS, [EU_ZONE]);
    expect(peersOf(result, 'c-eu-west')).toEqual({ eu: ['us-east-1'] });
    expect(peersOf(result, 'c-eu-central')).toEqual({ eu: ['us-east-1'] });
    expect(peersOf(result, 'c-us-east')).toEqual({ eu: ['eu-central-1', 'eu-west-1'] });
  });

  it('lets a zone talk to the clusters of the zones it names, and nowhere else', () => {
    const us: CompilerZone = { name: 'us', clusterSelector: "geo == 'us'", allowedZones: ['eu'] };
    const eu: CompilerZone = { ...EU_ZONE, allowedZones: ['us'] };
    const result = forbiddenPeers([...CLUSTERS, AP], [eu, us]);
    expect(peersOf(result, 'c-eu-west')).toEqual({ eu: ['ap-south-1'] });
    expect(peersOf(result, 'c-us-east')).toEqual({ us: ['ap-south-1'] });
    expect(peersOf(result, 'c-ap-south')).toEqual({
      eu: ['eu-central-1', 'eu-west-1'],
      us: ['us-east-1'],
    });
  });

  it('enforces the stricter zone when only one side allows the other', () => {
    const us: CompilerZone = { name: 'us', clusterSelector: "geo == 'us'", allowedZones: [] };
    const eu: CompilerZone = { ...EU_ZONE, allowedZones: ['us'] };
    const result = forbiddenPeers(CLUSTERS, [eu, us]);
    expect(peersOf(result, 'c-eu-west')).toEqual({ us: ['us-east-1'] });
    expect(peersOf(result, 'c-us-east')).toEqual({ us: ['eu-central-1', 'eu-west-1'] });
  });

  it('selects clusters by name through meshplane.io/cluster', () => {
    const zone: CompilerZone = {
      name: 'lab',
      clusterSelector: "meshplane.io/cluster == 'eu-central-1'",
      allowedZones: [],
    };
    const result = forbiddenPeers(CLUSTERS, [zone]);
    expect(peersOf(result, 'c-eu-central')).toEqual({ lab: ['eu-west-1', 'us-east-1'] });
    expect(peersOf(result, 'c-eu-west')).toEqual({ lab: ['eu-central-1'] });
  });
});

describe('compliance zones in the bundles', () => {
  const input: CompilerInput = { ...INPUT, zones: [EU_ZONE] };
  const bundles = compileBundles(input);
  const us = bundles.get('c-us-east')!;
  const euWest = bundles.get('c-eu-west')!;

  let schemas: CalicoSchemas;
  beforeAll(() => {
    schemas = loadCalicoSchemas();
  });

  it('emits only objects that validate against the Calico CRDs', () => {
    for (const object of [...bundles.values()].flatMap((bundle) => bundle.objects))
      expect([object.metadata.name, schemas.validate(object)]).toEqual([object.metadata.name, []]);
  });

  it('puts a meshplane-compliance tier with default action Pass before every tenant tier', () => {
    const tier = us.objects.find(
      (o): o is TierObject => o.kind === 'Tier' && o.metadata.name === COMPLIANCE_TIER_NAME,
    );
    expect(tier?.spec).toEqual({ order: 0, defaultAction: 'Pass' });
    const tenantOrders = INPUT.tiers.map((t) => t.order).filter((o): o is number => o !== null);
    expect(Math.min(...tenantOrders)).toBeGreaterThan(0);
  });

  it("denies ingress from and egress to the forbidden clusters' endpoints for all(), then passes", () => {
    const policy = compliancePolicyOf(us.objects)!;
    expect(policy.spec.selector).toBe('all()');
    expect(policy.spec.types).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.ingress?.map((rule) => rule.action)).toEqual(['Deny', 'Pass']);
    expect(policy.spec.egress?.map((rule) => rule.action)).toEqual(['Deny', 'Pass']);
    const ingressSelector = selector(policy.spec.ingress![0]!.source!.selector!);
    const egressSelector = selector(policy.spec.egress![0]!.destination!.selector!);
    for (const sel of [ingressSelector, egressSelector]) {
      expect(sel.matches({ 'meshplane.io/cluster': 'eu-west-1' })).toBe(true);
      expect(sel.matches({ 'meshplane.io/cluster': 'eu-central-1' })).toBe(true);
      expect(sel.matches({ 'meshplane.io/cluster': 'us-east-1' })).toBe(false);
      expect(sel.matches({ app: 'db' })).toBe(false);
    }
    expect(policy.spec.ingress![0]!.metadata?.annotations).toEqual({ 'meshplane.io/compliance-zone': 'eu' });
  });

  it('ships every pod of the forbidden clusters as a network set, so Calico can match the deny rules', () => {
    const deny = selector(compliancePolicyOf(us.objects)!.spec.egress![0]!.destination!.selector!);
    const denied = networkSets(us.objects).filter((set) => deny.matches(set.metadata.labels));
    const euIps = ENDPOINTS.filter((e) => e.clusterId !== 'c-us-east').flatMap((e) => e.ips);
    expect(denied.flatMap((set) => set.spec.nets).sort()).toEqual(
      euIps.map((ip) => (ip.includes(':') ? `${ip}/128` : `${ip}/32`)).sort(),
    );
    // And eu-west-1 gets us-east-1's pods (both of them), not eu-central-1's.
    const euWestDeny = selector(compliancePolicyOf(euWest.objects)!.spec.egress![0]!.destination!.selector!);
    const nets = networkSets(euWest.objects)
      .filter((set) => euWestDeny.matches(set.metadata.labels))
      .flatMap((set) => set.spec.nets);
    expect(nets.sort()).toEqual(['10.3.0.10/32', '10.3.0.20/32']);
  });

  it('emits no compliance tier or policy without zones, or in clusters with nothing forbidden', () => {
    const none = compileBundles(INPUT).get('c-us-east')!;
    expect(none.objects.some((o) => o.metadata.name.startsWith(COMPLIANCE_TIER_NAME))).toBe(false);
    const everyone: CompilerZone = { name: 'all', clusterSelector: 'all()', allowedZones: [] };
    const open = compileBundles({ ...INPUT, zones: [everyone] }).get('c-us-east')!;
    expect(compliancePolicyOf(open.objects)).toBeUndefined();
  });

  it('recompiles the clusters that deny a pod when it appears in a forbidden cluster, and matches a full compile', () => {
    const compiler = new FederationCompiler({ ...input, policies: [SHOP_DB_INGRESS] });
    const newcomer = pod('c-eu-central', 'batch', 'job-0', { app: 'job' }, ['10.2.9.9']);
    const recompiled = compiler.applyEndpointChanges({ upserted: [newcomer] });
    expect(recompiled.map((bundle) => bundle.clusterId)).toEqual(['c-us-east']);
    expect(networkSets(recompiled[0]!.objects).flatMap((set) => set.spec.nets)).toContain('10.2.9.9/32');
    const full = compileBundles({
      ...input,
      policies: [SHOP_DB_INGRESS],
      endpoints: [...ENDPOINTS, newcomer],
    });
    expect(recompiled[0]).toEqual(full.get('c-us-east'));
  });

  it('refuses a zone whose stored selector does not parse', () => {
    const broken: CompilerZone = { name: 'bad', clusterSelector: "geo == 'eu", allowedZones: [] };
    expect(() => compileBundles({ ...INPUT, zones: [broken] })).toThrow(CompilerError);
  });
});

describe('compiled compliance bundles under the shared evaluator (Calico semantics)', () => {
  /** A tenant policy that allows everything both ways, in the tenant's first tier. */
  const ALLOW_ALL: Policy = {
    kind: 'GlobalNetworkPolicy',
    metadata: { name: 'allow-all' },
    spec: {
      tier: 'security',
      order: 1,
      selector: 'all()',
      ingress: [{ action: 'Allow' }],
      egress: [{ action: 'Allow' }],
    },
  };

  /**
   * What Calico would hold in every cluster: each bundle's policies (targeted at their own cluster)
   * and network sets, plus every cluster's pods as workloads.
   */
  function world(zones: readonly CompilerZone[]) {
    const input: CompilerInput = { ...INPUT, policies: [ALLOW_ALL], zones };
    const policies: Policy[] = [];
    const endpoints: Endpoint[] = ENDPOINTS.map((e) => ({
      id: `${e.clusterId}/${e.namespace}/${e.name}`,
      kind: 'workload',
      cluster: CLUSTERS.find((c) => c.id === e.clusterId)!.name,
      namespace: e.namespace,
      labels: e.labels,
      ips: e.ips,
    }));
    for (const [clusterId, bundle] of compileBundles(input)) {
      const cluster = CLUSTERS.find((c) => c.id === clusterId)!.name;
      for (const object of bundle.objects) {
        if (object.kind === 'GlobalNetworkPolicy')
          policies.push({
            kind: 'GlobalNetworkPolicy',
            metadata: { name: `${object.metadata.name}-${cluster}` },
            spec: { ...object.spec, clusterSelector: `meshplane.io/cluster == '${cluster}'` },
          });
        if (object.kind === 'GlobalNetworkSet' || object.kind === 'NetworkSet')
          endpoints.push({
            id: `${cluster}:${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`,
            kind: 'networkset',
            cluster,
            ...(object.metadata.namespace === undefined ? {} : { namespace: object.metadata.namespace }),
            labels: object.metadata.labels,
            ips: object.spec.nets,
          });
      }
    }
    const tiers = [
      {
        name: COMPLIANCE_TIER.name,
        order: COMPLIANCE_TIER.order!,
        defaultAction: COMPLIANCE_TIER.defaultAction,
      },
      { name: 'security', order: 100, defaultAction: 'Deny' as const },
    ];
    return { tiers, policies, endpoints, clusters: CLUSTERS.map(({ name, labels }) => ({ name, labels })) };
  }
  const flow = (from: string, to: string) => ({
    source: { endpoint: from },
    destination: { endpoint: to },
    protocol: 'TCP' as const,
    destinationPort: 5432,
  });

  it('denies cross-zone traffic on both ends, though a tenant policy allows everything', () => {
    const verdict = evaluateFlow(world([EU_ZONE]), flow('c-us-east/shop/web-0', 'c-eu-west/shop/db-0'));
    expect(verdict.allowed).toBe(false);
    expect(verdict.egress?.action).toBe('Deny');
    expect(verdict.ingress?.action).toBe('Deny');
    expect(verdict.egress?.trace[0]).toMatchObject({ tier: COMPLIANCE_TIER_NAME, action: 'Deny' });
  });

  it('passes traffic inside the zone on to the tenant tiers, which decide', () => {
    expect(
      evaluateFlow(world([EU_ZONE]), flow('c-eu-central/shop/db-0', 'c-eu-west/shop/db-0')).allowed,
    ).toBe(true);
    expect(evaluateFlow(world([]), flow('c-us-east/shop/web-0', 'c-eu-west/shop/db-0')).allowed).toBe(true);
  });
});
