import {
  type Cluster,
  type ClusterDataplaneState,
  type Endpoint,
  type Policy,
  type Rule,
  remoteEndpointView,
  type Tier,
  validatePolicy,
} from '@meshplane/policy';
import fc from 'fast-check';
import { hostNets } from './calico-objects.js';
import type { CompilerInput, CompilerTier, CompilerZone } from './compiler.types.js';
import { COMPLIANCE_TIER, compliancePolicies } from './compliance.js';

/**
 * Generated tenants for the enforcement differential test: 2–6 clusters whose namespaces (and
 * their labels) differ, pods, tiers, policies of both kinds with cluster selectors and rules that
 * name other clusters' pods, compliance zones. Small pools so that selectors often match.
 */

export interface GeneratedPod {
  readonly clusterId: string;
  readonly cluster: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly ip: string;
  readonly serviceAccount: string;
}

export interface GeneratedTenant {
  readonly input: CompilerInput & { readonly namespaces: { clusterId: string; name: string }[] };
  /** Per cluster id: its namespaces with labels, and its service accounts with labels. */
  readonly namespaceLabels: ReadonlyMap<string, ReadonlyMap<string, Record<string, string>>>;
  readonly accountLabels: ReadonlyMap<string, Record<string, string>>;
  readonly pods: readonly GeneratedPod[];
}

const NAMESPACES = ['a', 'b'] as const;
const ACCOUNTS = ['default', 'sa1'] as const;

const labelsOf = (pool: Record<string, readonly string[]>) =>
  fc.record(Object.fromEntries(Object.entries(pool).map(([k, values]) => [k, fc.constantFrom(...values)])), {
    requiredKeys: [],
  }) as fc.Arbitrary<Record<string, string>>;

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
const subset = <T>(values: readonly T[]) => fc.subarray([...values], { minLength: 1, maxLength: 2 });

const SELECTORS = [
  "app == 'web'",
  "app == 'db'",
  "app in {'web', 'api'}",
  'has(tier)',
  "meshplane.io/cluster == 'c0'",
  "meshplane.io/cluster != 'c1' && app == 'db'",
  "meshplane.io/namespace == 'b'",
  "projectcalico.org/namespace == 'a'",
  'all()',
];
const NAMESPACE_SELECTORS = ["env == 'prod'", '!has(env)', "projectcalico.org/name == 'a'", 'all()'];
const CLUSTER_SELECTORS = ["geo == 'eu'", "meshplane.io/cluster == 'c1'", "env != 'dev'"];
const NETS = ['10.0.0.0/16', '10.1.0.0/24', '10.2.0.2/32', '192.168.0.0/16'];
const PORTS: (number | string)[] = [80, 5432, '5000:6000'];

const entity = fc
  .record(
    {
      selector: maybe(fc.constantFrom(...SELECTORS)),
      notSelector: maybe(fc.constantFrom(...SELECTORS)),
      namespaceSelector: maybe(fc.constantFrom(...NAMESPACE_SELECTORS, 'global()')),
      nets: maybe(subset(NETS)),
      notNets: maybe(subset(NETS)),
      ports: maybe(subset(PORTS)),
      serviceAccounts: maybe(
        fc.record(
          {
            names: maybe(subset(ACCOUNTS)),
            selector: maybe(fc.constantFrom("role == 'reader'", '!has(role)')),
          },
          { requiredKeys: [] },
        ),
      ),
    },
    { requiredKeys: [] },
  )
  .map(dropUndefined);

const rule: fc.Arbitrary<Rule> = fc
  .record({
    action: fc.constantFrom('Allow', 'Deny', 'Pass', 'Log'),
    protocol: maybe(fc.constantFrom('TCP', 'UDP')),
    source: maybe(entity),
    destination: maybe(entity),
  })
  .map((r) => {
    const out = dropUndefined(r) as Record<string, unknown>;
    if (out['protocol'] === undefined) {
      for (const side of ['source', 'destination'])
        delete (out[side] as Record<string, unknown> | undefined)?.['ports'];
    }
    return out as unknown as Rule;
  });

const policy: fc.Arbitrary<Policy> = fc
  .record({
    global: fc.boolean(),
    namespace: fc.constantFrom(...NAMESPACES),
    name: fc.constantFrom('p', 'q', 'r'),
    tier: fc.constantFrom('default', 'first', 'second'),
    order: maybe(fc.constantFrom(10, 20)),
    selector: maybe(fc.constantFrom(...SELECTORS)),
    namespaceSelector: maybe(fc.constantFrom(...NAMESPACE_SELECTORS)),
    clusterSelector: maybe(fc.constantFrom(...CLUSTER_SELECTORS)),
    ingress: fc.array(rule, { maxLength: 3 }),
    egress: fc.array(rule, { maxLength: 3 }),
    staged: fc.boolean(),
  })
  .map((p): Policy => {
    const spec = dropUndefined({
      tier: p.tier,
      order: p.order,
      selector: p.selector,
      ...(p.global ? { namespaceSelector: p.namespaceSelector } : {}),
      clusterSelector: p.clusterSelector,
      ...(p.ingress.length > 0 ? { ingress: p.ingress } : {}),
      ...(p.egress.length > 0 ? { egress: p.egress } : {}),
      ...(p.staged ? { staged: true } : {}),
    });
    return p.global
      ? { kind: 'GlobalNetworkPolicy', metadata: { name: p.name }, spec }
      : { kind: 'NetworkPolicy', metadata: { name: p.name, namespace: p.namespace }, spec };
  });

const clusterArb = fc.record({
  labels: labelsOf({ geo: ['eu', 'us'], env: ['prod', 'dev'] }),
  namespaces: fc.subarray([...NAMESPACES], { minLength: 1 }),
  namespaceLabels: fc.array(labelsOf({ env: ['prod', 'dev'] }), { minLength: 2, maxLength: 2 }),
  accountLabels: fc.array(labelsOf({ role: ['reader', 'writer'] }), { minLength: 4, maxLength: 4 }),
  pods: fc.array(
    fc.record({
      ns: fc.nat(1),
      labels: labelsOf({ app: ['web', 'db', 'api'], tier: ['front'] }),
      account: fc.constantFrom(...ACCOUNTS),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

export const tenantArb: fc.Arbitrary<GeneratedTenant> = fc
  .record({
    clusters: fc.array(clusterArb, { minLength: 2, maxLength: 6 }),
    tierDefaults: fc.array(fc.constantFrom<'Deny' | 'Pass'>('Deny', 'Pass'), { minLength: 2, maxLength: 2 }),
    policies: fc.array(policy, { maxLength: 5 }),
    zone: fc.boolean(),
  })
  .map((g): GeneratedTenant => {
    const clusters = g.clusters.map((c, i) => ({ id: `id-${i}`, name: `c${i}`, labels: c.labels }));
    const namespaceLabels = new Map<string, Map<string, Record<string, string>>>();
    const accountLabels = new Map<string, Record<string, string>>();
    const namespaces: { clusterId: string; name: string }[] = [];
    const pods: GeneratedPod[] = [];
    g.clusters.forEach((c, i) => {
      const id = `id-${i}`;
      const own = new Map<string, Record<string, string>>();
      c.namespaces.forEach((name, j) => {
        own.set(name, c.namespaceLabels[j]!);
        namespaces.push({ clusterId: id, name });
        ACCOUNTS.forEach((account, k) => {
          accountLabels.set(`${id}/${name}/${account}`, c.accountLabels[j * 2 + k]!);
        });
      });
      namespaceLabels.set(id, own);
      c.pods.forEach((pod, j) => {
        pods.push({
          clusterId: id,
          cluster: `c${i}`,
          namespace: c.namespaces[pod.ns % c.namespaces.length]!,
          name: `pod-${j}`,
          labels: pod.labels,
          ip: `10.${i}.0.${j + 1}`,
          serviceAccount: pod.account,
        });
      });
    });
    const tiers: CompilerTier[] = [
      { name: 'default', order: 1_000_000, defaultAction: 'Deny' },
      { name: 'first', order: 100, defaultAction: g.tierDefaults[0]! },
      { name: 'second', order: null, defaultAction: g.tierDefaults[1]! },
    ];
    const seen = new Set<string>();
    const policies = g.policies.filter((p) => {
      const id = `${p.kind}/${p.kind === 'NetworkPolicy' ? p.metadata.namespace : ''}/${p.metadata.name}/${p.spec.staged === true}`;
      if (seen.has(id) || validatePolicy(p).length > 0) return false;
      seen.add(id);
      return true;
    });
    const zones: CompilerZone[] = g.zone
      ? [{ name: 'eu', clusterSelector: "geo == 'eu'", allowedZones: [] }]
      : [];
    return {
      input: {
        tiers,
        policies,
        clusters,
        endpoints: pods.map((pod) => ({
          clusterId: pod.clusterId,
          namespace: pod.namespace,
          name: pod.name,
          labels: pod.labels,
          ips: [pod.ip],
          serviceAccount: pod.serviceAccount,
        })),
        namespaces,
        zones,
      },
      namespaceLabels,
      accountLabels,
      pods,
    };
  });

/** What one cluster holds: its own pods, namespaces and accounts, and the bundle it applied. */
export function clusterState(
  tenant: GeneratedTenant,
  clusterId: string,
  objects: ClusterDataplaneState['objects'],
): ClusterDataplaneState {
  const own = tenant.namespaceLabels.get(clusterId)!;
  return {
    namespaces: [...own].map(([name, labels]) => ({ name, labels })),
    serviceAccounts: [...own.keys()].flatMap((namespace) =>
      ACCOUNTS.map((name) => ({
        namespace,
        name,
        labels: tenant.accountLabels.get(`${clusterId}/${namespace}/${name}`)!,
      })),
    ),
    pods: tenant.pods
      .filter((pod) => pod.clusterId === clusterId)
      .map((pod) => ({
        namespace: pod.namespace,
        name: pod.name,
        labels: pod.labels,
        ips: [pod.ip],
        serviceAccount: pod.serviceAccount,
      })),
    // What cannot be applied is not there: a namespaced object in a namespace the cluster lacks.
    objects: objects.filter(
      (object) => object.metadata.namespace === undefined || own.has(object.metadata.namespace),
    ),
  };
}

/**
 * The tenant-wide world Meshplane's own verdicts (what-if, reports) are computed over: every pod
 * of every cluster, each cluster's view of every other cluster's pods (a network set of that
 * cluster, in the pod's namespace where the cluster has it, labelled as Meshplane publishes it),
 * the tenant's tiers and policies with their cluster selectors, and the compliance tier.
 */
export function tenantWorld(tenant: GeneratedTenant): {
  tiers: Tier[];
  policies: Policy[];
  endpoints: Endpoint[];
  clusters: Cluster[];
} {
  const { input } = tenant;
  const endpoints: Endpoint[] = tenant.pods.map((pod) => ({
    id: podId(pod),
    kind: 'workload',
    cluster: pod.cluster,
    namespace: pod.namespace,
    labels: pod.labels,
    namespaceLabels: tenant.namespaceLabels.get(pod.clusterId)!.get(pod.namespace)!,
    serviceAccount: {
      name: pod.serviceAccount,
      labels: tenant.accountLabels.get(`${pod.clusterId}/${pod.namespace}/${pod.serviceAccount}`)!,
    },
    ips: [pod.ip],
  }));
  for (const observer of input.clusters) {
    const namespaces = tenant.namespaceLabels.get(observer.id)!;
    for (const pod of tenant.pods) {
      if (pod.clusterId === observer.id) continue;
      endpoints.push({
        id: `${observer.name}|${podId(pod)}`,
        ...remoteEndpointView(observer.name, pod, namespaces.get(pod.namespace)),
        ips: hostNets([pod.ip]),
      });
    }
  }
  const tiers: Tier[] = input.tiers.map((tier) => ({
    name: tier.name,
    defaultAction: tier.defaultAction,
    ...(tier.order === null ? {} : { order: tier.order }),
  }));
  const policies: Policy[] = [...input.policies];
  const compliance = compliancePolicies(input.clusters, input.zones ?? []);
  if (compliance.size > 0) {
    tiers.push({
      name: COMPLIANCE_TIER.name,
      order: COMPLIANCE_TIER.order!,
      defaultAction: COMPLIANCE_TIER.defaultAction,
    });
    for (const [clusterId, generated] of compliance) {
      const name = input.clusters.find((cluster) => cluster.id === clusterId)!.name;
      policies.push({
        ...generated,
        // As the internal policy set names them (one per cluster).
        metadata: { name: `${generated.metadata.name}.${name}` },
        spec: { ...generated.spec, clusterSelector: `meshplane.io/cluster == '${name}'` },
      });
    }
  }
  return {
    tiers,
    policies,
    endpoints,
    clusters: input.clusters.map(({ name, labels }) => ({ name, labels })),
  };
}

export function podId(pod: Pick<GeneratedPod, 'cluster' | 'namespace' | 'name'>): string {
  return `${pod.cluster}/${pod.namespace}/${pod.name}`;
}

function dropUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
