import {
  CLUSTER_LABEL,
  MAX_RULES_PER_DIRECTION,
  NAMESPACE_NAME_LABEL,
  printSelector,
  type SelectorNode,
  selectorAst,
} from '@meshplane/policy';

/** Labels that change with every rollout or pod, or that Calico and Meshplane set: never selected on. */
const VOLATILE_LABELS = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'pod-template-generation',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'controller-uid',
  'job-name',
  'batch.kubernetes.io/controller-uid',
  'batch.kubernetes.io/job-name',
]);
const SYSTEM_PREFIXES = ['projectcalico.org/', 'meshplane.io/'];
const PORT_PROTOCOLS = new Set(['TCP', 'UDP', 'SCTP']);
const PROTOCOL_NAMES: Record<string, string> = {
  tcp: 'TCP',
  udp: 'UDP',
  sctp: 'SCTP',
  icmp: 'ICMP',
  icmpv6: 'ICMPv6',
  udplite: 'UDPLite',
};

/** One distinct kind of observed allowed ingress (the query groups flows by these fields). */
export interface ObservedIngress {
  srcCluster: string | null;
  srcNamespace: string;
  srcType: string;
  srcLabels: Record<string, string>;
  /** The source address; only read for networks outside the tenant's clusters. */
  srcIp: string | null;
  dstLabels: Record<string, string>;
  protocol: string;
  port: number | null;
  flows: number;
}

/** A rule of the recommendation in the policies API's `RuleInput` shape. */
export interface RecommendedRule {
  action: 'Allow';
  protocol?: string;
  source?: { selector?: string; namespaceSelector?: string; nets?: string[] };
  destination: { selector: string; ports?: string[] };
}

/** The policies API's `CreatePolicyInput`, as `recommendPolicy` answers it. */
export interface RecommendedPolicyInput {
  kind: 'NetworkPolicy';
  name: string;
  namespace: string;
  spec: {
    tier: string;
    selector: string;
    types: ['Ingress'];
    ingress: RecommendedRule[];
    clusterSelector: string;
    staged: true;
  };
}

export interface Recommendation {
  input: RecommendedPolicyInput;
  /** Observed kinds of ingress no rule can name (a network with neither address nor labels). */
  unattributed: number;
  /** More distinct rules than a policy may have: the least-used ones were left out. */
  truncated: boolean;
}

/** A selector over a workload's stable labels (`a == 'x' && b == 'y'`, by key), else `all()`. */
export function labelSelector(labels: Record<string, string>, extra: SelectorNode[] = []): string {
  const parts: SelectorNode[] = Object.keys(labels)
    .filter(
      (key) =>
        !VOLATILE_LABELS.has(key) &&
        !SYSTEM_PREFIXES.some((prefix) => key.startsWith(prefix)) &&
        !(labels[key]!.includes("'") && labels[key]!.includes('"')),
    )
    .sort()
    .map((key) => selectorAst.eq(key, labels[key]!));
  const all = [...parts, ...extra];
  return printSelector(
    all.length === 0 ? selectorAst.all() : all.length === 1 ? all[0]! : selectorAst.and(...all),
  );
}

/** `recommended-<cluster>` (`recommended-<cluster>-<workload>` for one workload), made a DNS subdomain. */
export function recommendationName(cluster: string, workload?: string): string {
  const slug = [cluster, ...(workload ? [workload] : [])]
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return `recommended-${slug || 'cluster'}`.slice(0, 253).replace(/[^a-z0-9]+$/, '');
}

/** The labels every observed destination shares (a workload's pods: its template's labels). */
function sharedLabels(observed: readonly ObservedIngress[]): Record<string, string> {
  const [first, ...rest] = observed;
  if (first === undefined) return {};
  return Object.fromEntries(
    Object.entries(first.dstLabels).filter(([key, value]) => rest.every((o) => o.dstLabels[key] === value)),
  );
}

/**
 * A least-privilege, staged NetworkPolicy for namespace `namespace` of cluster `cluster`: it
 * selects every workload of the namespace for Ingress and allows exactly the ingress observed
 * allowed — one rule per destination workload (by its stable labels), source and protocol, with
 * the ports seen. Sources are named the way the cluster's Calico sees them:
 *
 * - a workload of the same cluster by its labels, plus `projectcalico.org/name == '<ns>'` as a
 *   namespaceSelector when it is in another namespace (`global()` for host endpoints);
 * - a workload of another cluster of the tenant by its labels and `meshplane.io/cluster`
 *   (matched through the network sets Meshplane installs), with the same namespace rule;
 * - any other network by its address (`nets: [ip/32]`), or by its labels when it is a network set.
 *
 * The policy is pinned to the cluster (`clusterSelector: meshplane.io/cluster == '<name>'`) and
 * staged, so it can be created as is and compared with `whatIf` before it is enforced. For one
 * `workload` (its ingress alone observed), it selects that workload's pods by the stable labels
 * every observed destination shares, and is named after it; `undefined` when they share none.
 */
export function recommendPolicy(
  cluster: string,
  namespace: string,
  observed: readonly ObservedIngress[],
): Recommendation;
export function recommendPolicy(
  cluster: string,
  namespace: string,
  observed: readonly ObservedIngress[],
  workload: string | undefined,
): Recommendation | undefined;
export function recommendPolicy(
  cluster: string,
  namespace: string,
  observed: readonly ObservedIngress[],
  workload?: string,
): Recommendation | undefined {
  const selector = workload === undefined ? 'all()' : labelSelector(sharedLabels(observed));
  if (selector === 'all()' && workload !== undefined) return undefined;
  const rules = new Map<string, { rule: RecommendedRule; ports: Set<number> | null; flows: number }>();
  let unattributed = 0;
  for (const ingress of observed) {
    const source = sourceRule(cluster, namespace, ingress);
    if (source === undefined) {
      unattributed += 1;
      continue;
    }
    const protocol = PROTOCOL_NAMES[ingress.protocol.toLowerCase()] ?? ingress.protocol;
    const destination = labelSelector(ingress.dstLabels);
    const key = JSON.stringify([destination, source, protocol]);
    let entry = rules.get(key);
    if (entry === undefined) {
      entry = {
        rule: {
          action: 'Allow',
          protocol,
          ...(source === null ? {} : { source }),
          destination: { selector: destination },
        },
        ports: PORT_PROTOCOLS.has(protocol) ? new Set() : null,
        flows: 0,
      };
      rules.set(key, entry);
    }
    entry.flows += ingress.flows;
    if (entry.ports !== null) {
      if (ingress.port === null || ingress.port === 0) entry.ports = null;
      else entry.ports.add(ingress.port);
    }
  }
  const ranked = [...rules.entries()].sort(([ka, a], [kb, b]) => b.flows - a.flows || (ka < kb ? -1 : 1));
  const kept = ranked.slice(0, MAX_RULES_PER_DIRECTION).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const ingress = kept.map(([, { rule, ports }]) =>
    ports === null || ports.size === 0
      ? rule
      : {
          ...rule,
          destination: { ...rule.destination, ports: [...ports].sort((a, b) => a - b).map(String) },
        },
  );
  return {
    input: {
      kind: 'NetworkPolicy',
      name: recommendationName(cluster, workload),
      namespace,
      spec: {
        tier: 'default',
        selector,
        types: ['Ingress'],
        ingress,
        clusterSelector: printSelector(selectorAst.eq(CLUSTER_LABEL, cluster)),
        staged: true,
      },
    },
    unattributed,
    truncated: ranked.length > kept.length,
  };
}

/** The source entity rule for an observed ingress; null = any source; undefined = none can name it. */
function sourceRule(
  cluster: string,
  namespace: string,
  ingress: ObservedIngress,
): RecommendedRule['source'] | null | undefined {
  const namespaceSelector = (ns: string) =>
    ns === ''
      ? 'global()'
      : ns === namespace
        ? undefined
        : printSelector(selectorAst.eq(NAMESPACE_NAME_LABEL, ns));
  const withNamespace = (selector: string, ns: string) => {
    const nsSelector = namespaceSelector(ns);
    return nsSelector === undefined ? { selector } : { selector, namespaceSelector: nsSelector };
  };
  if (ingress.srcCluster === cluster && (ingress.srcType === 'wep' || ingress.srcType === 'hep'))
    return withNamespace(
      labelSelector(ingress.srcLabels),
      ingress.srcType === 'hep' ? '' : ingress.srcNamespace,
    );
  if (ingress.srcCluster !== null && ingress.srcCluster !== cluster)
    return withNamespace(
      labelSelector(ingress.srcLabels, [selectorAst.eq(CLUSTER_LABEL, ingress.srcCluster)]),
      ingress.srcNamespace,
    );
  if (ingress.srcType !== 'ns' && ingress.srcIp !== null)
    return { nets: [ingress.srcIp.includes(':') ? `${ingress.srcIp}/128` : `${ingress.srcIp}/32`] };
  if (ingress.srcType === 'ns' && Object.keys(ingress.srcLabels).length > 0)
    return withNamespace(labelSelector(ingress.srcLabels), ingress.srcNamespace);
  return undefined;
}
