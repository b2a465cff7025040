import fc from 'fast-check';
import type { Endpoint } from '../model/endpoint.js';
import type { Flow } from '../model/flow.js';
import type { Policy } from '../model/policy.js';
import type { Tier } from '../model/tier.js';
import { validatePolicy } from '../validate/validate-policy.js';
import type { CalicoResource, ClusterDataplaneState, Packet } from './cluster-state.js';

/**
 * Generated single clusters for the differential tests: small pools of names, labels and addresses
 * so that selectors often match, orders often tie, network sets overlap pods and each other, and
 * policies of both kinds meet in the same tiers.
 */

const NAMESPACES = ['a', 'b', 'c'] as const;
const ACCOUNTS = ['default', 'sa1'] as const;

const labelsOf = (pool: Record<string, readonly string[]>) =>
  fc.record(Object.fromEntries(Object.entries(pool).map(([k, values]) => [k, fc.constantFrom(...values)])), {
    requiredKeys: [],
  }) as fc.Arbitrary<Record<string, string>>;

const podLabels = labelsOf({ app: ['web', 'db', 'api'], tier: ['front', 'back'] });
const namespaceLabels = labelsOf({ env: ['prod', 'dev'], team: ['x', 'y'] });
const accountLabels = labelsOf({ role: ['reader', 'writer'] });
const setLabels = labelsOf({ app: ['web', 'ext'], zone: ['dmz'] });

const SELECTORS = [
  "app == 'web'",
  "app == 'db'",
  "app in {'web', 'api'}",
  "tier != 'back'",
  'has(tier)',
  "!has(app) || zone == 'dmz'",
  "app == 'ext'",
  'all()',
  "projectcalico.org/namespace == 'b'",
  "projectcalico.org/serviceaccount == 'sa1'",
];
const NAMESPACE_SELECTORS = [
  "env == 'prod'",
  "team in {'x'}",
  '!has(env)',
  "projectcalico.org/name == 'a'",
  "projectcalico.org/name != 'c'",
  'all()',
];
const ACCOUNT_SELECTORS = ["role == 'reader'", 'has(role)', '!has(role)', "projectcalico.org/name == 'sa1'"];
const NETS = [
  '10.0.0.0/24',
  '10.0.0.2/31',
  '10.0.0.3/32',
  '192.168.0.0/16',
  '192.168.7.0/24',
  '0.0.0.0/0',
  'fd00::/64',
];
const PORTS: (number | string)[] = [80, 443, '5000:6000', 5432];

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
const subset = <T>(values: readonly T[]) => fc.subarray([...values], { minLength: 1, maxLength: 2 });

const entityRule = (global: boolean) =>
  fc
    .record(
      {
        selector: maybe(fc.constantFrom(...SELECTORS)),
        notSelector: maybe(fc.constantFrom(...SELECTORS)),
        namespaceSelector: maybe(fc.constantFrom(...NAMESPACE_SELECTORS, ...(global ? ['global()'] : []))),
        nets: maybe(subset(NETS)),
        notNets: maybe(subset(NETS)),
        ports: maybe(subset(PORTS)),
        notPorts: maybe(subset(PORTS)),
        serviceAccounts: maybe(
          fc.record(
            { names: maybe(subset(ACCOUNTS)), selector: maybe(fc.constantFrom(...ACCOUNT_SELECTORS)) },
            { requiredKeys: [] },
          ),
        ),
      },
      { requiredKeys: [] },
    )
    .map(dropUndefined);

const rule = (global: boolean) =>
  fc
    .record({
      action: fc.constantFrom('Allow', 'Deny', 'Pass', 'Log'),
      ipVersion: maybe(fc.constantFrom(4, 6)),
      protocol: maybe(fc.constantFrom('TCP', 'UDP', 'ICMP')),
      notProtocol: maybe(fc.constantFrom('UDP', 'ICMP')),
      source: maybe(entityRule(global)),
      destination: maybe(entityRule(global)),
    })
    .map(({ protocol, ...rest }) => {
      const out = dropUndefined({ ...rest, ...(protocol === undefined ? {} : { protocol }) });
      // Calico: ports need TCP, UDP or SCTP.
      const portable = protocol === 'TCP' || protocol === 'UDP';
      for (const side of ['source', 'destination'] as const) {
        const entity = out[side] as Record<string, unknown> | undefined;
        if (entity === undefined || portable) continue;
        delete entity['ports'];
        delete entity['notPorts'];
      }
      return out;
    });

const TIERS = ['default', 'first', 'second'] as const;
const POLICY_NAMES = ['p', 'q', 'allow-a', 'z'] as const;

const policyObject = fc
  .record({
    global: fc.boolean(),
    namespace: fc.constantFrom(...NAMESPACES),
    name: fc.constantFrom(...POLICY_NAMES),
    tier: fc.constantFrom(...TIERS),
    order: maybe(fc.constantFrom(10, 10, 20)),
    selector: maybe(fc.constantFrom(...SELECTORS)),
    namespaceSelector: maybe(fc.constantFrom(...NAMESPACE_SELECTORS)),
    serviceAccountSelector: maybe(fc.constantFrom(...ACCOUNT_SELECTORS)),
    types: maybe(fc.constantFrom(['Ingress'], ['Egress'], ['Ingress', 'Egress'])),
    staged: fc.boolean(),
  })
  .chain((p) =>
    fc
      .record({
        ingress: fc.array(rule(p.global), { maxLength: 3 }),
        egress: fc.array(rule(p.global), { maxLength: 3 }),
      })
      .map(({ ingress, egress }) => ({ ...p, ingress, egress })),
  )
  .map((p): CalicoResource => {
    const name = p.tier === 'default' ? p.name : `${p.tier}.${p.name}`;
    const spec = dropUndefined({
      tier: p.tier,
      order: p.order,
      selector: p.selector,
      ...(p.global ? { namespaceSelector: p.namespaceSelector } : {}),
      serviceAccountSelector: p.serviceAccountSelector,
      types: p.types,
      ...(p.ingress.length > 0 ? { ingress: p.ingress } : {}),
      ...(p.egress.length > 0 ? { egress: p.egress } : {}),
    });
    const kind = `${p.staged ? 'Staged' : ''}${p.global ? 'GlobalNetworkPolicy' : 'NetworkPolicy'}`;
    return {
      apiVersion: 'projectcalico.org/v3',
      kind,
      metadata: p.global ? { name } : { name, namespace: p.namespace },
      spec,
    };
  });

export interface GeneratedCluster {
  readonly state: ClusterDataplaneState;
  /** Pod ids (`namespace/name`) by address. */
  readonly podAddresses: readonly string[];
  /** Addresses outside every pod, some inside network sets. */
  readonly externalAddresses: readonly string[];
}

export const clusterArb: fc.Arbitrary<GeneratedCluster> = fc
  .record({
    namespaces: fc.uniqueArray(fc.constantFrom(...NAMESPACES), { minLength: 1, maxLength: 3 }),
    namespaceLabels: fc.array(namespaceLabels, { minLength: 3, maxLength: 3 }),
    accountLabels: fc.array(accountLabels, { minLength: 6, maxLength: 6 }),
    pods: fc.array(fc.record({ ns: fc.nat(2), labels: podLabels, account: fc.constantFrom(...ACCOUNTS) }), {
      minLength: 1,
      maxLength: 5,
    }),
    sets: fc.array(
      fc.record({ global: fc.boolean(), ns: fc.nat(2), labels: setLabels, nets: subset(NETS) }),
      { maxLength: 3 },
    ),
    tiers: fc.subarray(
      [
        { name: 'first', order: 100 },
        { name: 'second', order: undefined },
      ],
      { minLength: 2, maxLength: 2 },
    ),
    tierDefaults: fc.array(fc.constantFrom<'Deny' | 'Pass'>('Deny', 'Pass'), { minLength: 2, maxLength: 2 }),
    policies: fc.array(policyObject, { maxLength: 6 }),
  })
  .map((g): GeneratedCluster => {
    const namespaces = g.namespaces.map((name, i) => ({ name, labels: g.namespaceLabels[i]! }));
    const nsName = (i: number) => g.namespaces[i % g.namespaces.length]!;
    const serviceAccounts = g.namespaces.flatMap((namespace, i) =>
      ACCOUNTS.map((name, j) => ({ namespace, name, labels: g.accountLabels[i * 2 + j]! })),
    );
    const pods = g.pods.map((pod, i) => ({
      namespace: nsName(pod.ns),
      name: `pod-${i}`,
      labels: pod.labels,
      ips: [`10.0.0.${i + 1}`],
      serviceAccount: pod.account,
    }));
    const sets: CalicoResource[] = g.sets.map((set, i) => ({
      apiVersion: 'projectcalico.org/v3',
      kind: set.global ? 'GlobalNetworkSet' : 'NetworkSet',
      metadata: set.global
        ? { name: `set-${i}`, labels: set.labels }
        : { name: `set-${i}`, namespace: nsName(set.ns), labels: set.labels },
      spec: { nets: set.nets },
    }));
    const tiers: CalicoResource[] = g.tiers.map((tier, i) => ({
      apiVersion: 'projectcalico.org/v3',
      kind: 'Tier',
      metadata: { name: tier.name },
      spec: { ...(tier.order === undefined ? {} : { order: tier.order }), defaultAction: g.tierDefaults[i]! },
    }));
    const tierNames = new Set(['default', ...g.tiers.map((tier) => tier.name)]);
    const seen = new Set<string>();
    // Only what the API accepts reaches a cluster: policies Meshplane's validation refuses are dropped.
    const policies = g.policies.filter((policy) => {
      const id = `${policy.kind}/${policy.metadata.namespace ?? ''}/${policy.metadata.name}`;
      if (seen.has(id) || !tierNames.has((policy.spec as { tier: string }).tier)) return false;
      if (validatePolicy(toPolicy(policy)).length > 0) return false;
      seen.add(id);
      return true;
    });
    return {
      state: { namespaces, serviceAccounts, pods, objects: [...policies, ...tiers, ...sets] },
      podAddresses: pods.map((pod) => pod.ips[0]!),
      externalAddresses: ['192.168.7.9', '172.16.0.1'],
    };
  });

/** The same cluster as {@link PolicyEvaluator} takes it: endpoints, tiers and policies. */
export function evaluatorWorld(cluster: GeneratedCluster): {
  tiers: Tier[];
  policies: Policy[];
  endpoints: Endpoint[];
} {
  const { state } = cluster;
  const nsLabels = new Map(state.namespaces.map((ns) => [ns.name, ns.labels ?? {}]));
  const accounts = new Map(
    (state.serviceAccounts ?? []).map((sa) => [`${sa.namespace}/${sa.name}`, sa.labels ?? {}]),
  );
  const endpoints: Endpoint[] = state.pods.map((pod) => ({
    id: `${pod.namespace}/${pod.name}`,
    kind: 'workload',
    cluster: 'c1',
    namespace: pod.namespace,
    labels: pod.labels ?? {},
    namespaceLabels: nsLabels.get(pod.namespace) ?? {},
    ...(pod.serviceAccount === undefined
      ? {}
      : {
          serviceAccount: {
            name: pod.serviceAccount,
            labels: accounts.get(`${pod.namespace}/${pod.serviceAccount}`) ?? {},
          },
        }),
    ips: pod.ips,
  }));
  const tiers: Tier[] = [];
  const policies: Policy[] = [];
  for (const object of state.objects) {
    const spec = object.spec as Record<string, unknown>;
    if (object.kind === 'Tier') {
      tiers.push({
        name: object.metadata.name,
        ...(spec['order'] === undefined ? {} : { order: spec['order'] as number }),
        defaultAction: spec['defaultAction'] as 'Deny' | 'Pass',
      });
    } else if (object.kind === 'GlobalNetworkSet' || object.kind === 'NetworkSet') {
      const namespace = object.metadata.namespace;
      endpoints.push({
        id: `${object.kind}/${namespace ?? ''}/${object.metadata.name}`,
        kind: 'networkset',
        cluster: 'c1',
        ...(namespace === undefined ? {} : { namespace, namespaceLabels: nsLabels.get(namespace) ?? {} }),
        labels: object.metadata.labels ?? {},
        ips: spec['nets'] as string[],
      });
    } else {
      policies.push(toPolicy(object));
    }
  }
  return { tiers, policies, endpoints };
}

/** A v3 policy object (of any of the four kinds) as libs/policy's model has it. */
function toPolicy(object: CalicoResource): Policy {
  const staged = object.kind.startsWith('Staged');
  const spec = { ...(object.spec as object), ...(staged ? { staged: true } : {}) };
  return object.kind.endsWith('GlobalNetworkPolicy')
    ? { kind: 'GlobalNetworkPolicy', metadata: { name: object.metadata.name }, spec }
    : {
        kind: 'NetworkPolicy',
        metadata: { name: object.metadata.name, namespace: object.metadata.namespace! },
        spec,
      };
}

/** Every ordered pair of addresses (pods and outside), over a few protocols and ports. */
export function packetsOf(cluster: GeneratedCluster): { packet: Packet; flow: Flow }[] {
  const addresses = [...cluster.podAddresses, ...cluster.externalAddresses];
  const podIds = new Map(cluster.state.pods.map((pod) => [pod.ips[0]!, `${pod.namespace}/${pod.name}`]));
  const out: { packet: Packet; flow: Flow }[] = [];
  const peer = (ip: string) => {
    const id = podIds.get(ip);
    return id === undefined ? { ip } : { endpoint: id, ip };
  };
  for (const source of addresses) {
    for (const destination of addresses) {
      if (source === destination) continue;
      if (!podIds.has(source) && !podIds.has(destination)) continue;
      for (const [protocol, port] of [
        ['TCP', 80],
        ['TCP', 5432],
        ['UDP', 5500],
        ['ICMP', undefined],
      ] as const) {
        const ports = port === undefined ? {} : { sourcePort: 40000, destinationPort: port };
        out.push({
          packet: { source, destination, protocol, ...ports },
          flow: { source: peer(source), destination: peer(destination), protocol, ...ports },
        });
      }
    }
  }
  return out;
}

function dropUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
