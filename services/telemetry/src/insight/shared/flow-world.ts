import type { PolicySet } from '@meshplane/events';
import {
  apiPolicyName,
  type Cluster,
  COMPLIANCE_POLICY_NAME,
  type Endpoint,
  EvaluationError,
  type Flow,
  type FlowPeer,
  type FlowVerdict,
  formatTrace,
  type Labels,
  type Policy,
  PolicyEvaluator,
  policyReference,
  remoteEndpointView,
  type Tier,
  type TraceStep,
  type Verdicts,
} from '@meshplane/policy';
import { insightError } from './insight.errors.js';
import type { RecordedEnd, RecordedFlow } from './recorded-flow.js';

/** A cluster name no endpoint has: marks a bare address as belonging to no cluster's endpoint. */
const OUTSIDE = '\u0000outside';

/** The evaluator's policy set: tiers and policies as `libs/policy` takes them. */
export interface EvaluatedPolicySet {
  tiers: Tier[];
  policies: Policy[];
  clusters: Cluster[];
}

/** The policy set the policies service answered, as the evaluator takes it. */
export function evaluatedPolicySet(set: PolicySet): EvaluatedPolicySet {
  return {
    tiers: set.tiers.map((tier) => ({
      name: tier.name,
      defaultAction: tier.defaultAction,
      ...(tier.order === null ? {} : { order: tier.order }),
    })),
    policies: set.policies.map(
      (policy) => ({ kind: policy.kind, metadata: policy.metadata, spec: policy.spec }) as Policy,
    ),
    clusters: set.clusters.map(({ name, labels }) => ({ name, labels })),
  };
}

/** An EndpointSlice port (as `libs/policy`'s ServicePort). */
interface SlicePort {
  port: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
}

interface EndpointDraft {
  endpoint: Omit<Endpoint, 'ips' | 'services'>;
  ips: Set<string>;
  services: Map<string, { name: string; namespace: string; ports: Map<string, SlicePort> }>;
}

const SLICE_PROTOCOLS: Readonly<Record<string, SlicePort['protocol']>> = {
  tcp: 'TCP',
  udp: 'UDP',
  sctp: 'SCTP',
};

/**
 * What the tenant's clusters hold that flows do not record: each cluster's namespaces with their
 * labels, by cluster name. A cluster of the map has exactly the namespaces listed; a cluster
 * missing from it (no such map given, or not among the tenant's live clusters) is taken to have
 * every namespace, each labelled with Calico's name label only.
 */
export type ClusterNamespaces = ReadonlyMap<string, ReadonlyMap<string, Labels>>;

/** The policy set's namespaces as {@link FlowWorld} takes them. */
export function clusterNamespaces(set: PolicySet): ClusterNamespaces {
  const byCluster = new Map<string, Map<string, Labels>>(set.clusters.map(({ name }) => [name, new Map()]));
  for (const { cluster, name, labels } of set.namespaces) byCluster.get(cluster)?.set(name, labels);
  return byCluster;
}

/**
 * The recorded flows as the evaluator's world, the world the differential test proves Calico
 * enforces (each cluster's pods, and in every cluster the network sets Meshplane publishes for
 * the other clusters' pods):
 *
 * - a workload or host endpoint of the reporting cluster becomes an endpoint of that cluster
 *   (namespace and its labels, labels, service account, the addresses flows used, the Services
 *   it was reached through with the ports and protocols it was reached on there, as
 *   EndpointSlice ports), one per aggregated name and label set;
 * - a pod of another of the tenant's clusters (resolved by the flow enricher) becomes an endpoint
 *   of its own cluster, so that cluster's policies judge its side of the flow too: a flow across
 *   clusters passes the source cluster's egress and the destination cluster's ingress;
 * - each end of a flow across clusters is also what Calico in the other end's cluster matches it
 *   as: a network set of that cluster labelled exactly as Meshplane publishes remote endpoints
 *   (`remoteEndpointLabels`), in the pod's namespace where that cluster has it (with that
 *   namespace's labels there), else a global one, holding the addresses seen;
 * - any other network: its address, bare (no selector matches it, `nets` do; it is never an
 *   endpoint whose policies apply, even if another cluster has a pod with that address, since
 *   the record is the reporting cluster's view), or a label-less network set when the record has
 *   no address. A peer in a cluster the tenant no longer has is such a network: Meshplane
 *   publishes no network set for it any more.
 *
 * Service accounts are seen by name only (their labels are not recorded).
 */
export class FlowWorld {
  private readonly drafts = new Map<string, EndpointDraft>();
  readonly flows: (Flow | undefined)[] = [];

  constructor(
    recorded: readonly RecordedFlow[],
    private readonly namespaces?: ClusterNamespaces,
  ) {
    for (const flow of recorded) this.flows.push(this.add(flow));
  }

  endpoints(): Endpoint[] {
    return [...this.drafts.values()].map(({ endpoint, ips, services }) => ({
      ...endpoint,
      ips: [...ips].sort(),
      ...(services.size > 0
        ? {
            services: [...services.values()].map(({ name, namespace, ports }) => ({
              name,
              namespace,
              ports: [...ports.values()],
            })),
          }
        : {}),
    }));
  }

  private add(flow: RecordedFlow): Flow | undefined {
    const protocol = evaluatorProtocol(flow.protocol);
    if (protocol === undefined) return undefined;
    const source = this.peer(flow.reporter, flow.source, undefined);
    const slicePort = flow.port === null ? undefined : sliceProtocol(flow.protocol, flow.port);
    const destination = this.peer(flow.reporter, flow.destination, flow.service, slicePort);
    const [from, to] = [source.cluster, destination.cluster];
    if (from !== undefined && to !== undefined && from !== to) {
      if (source.pod) this.remoteView(to, flow.source, from);
      if (destination.pod) this.remoteView(from, flow.destination, to);
    }
    return {
      source: source.peer,
      destination: destination.peer,
      protocol,
      ...(flow.port === null ? {} : { destinationPort: flow.port }),
    };
  }

  /**
   * The flow's end; for an endpoint policies apply to, its cluster, and whether it is a pod (which
   * Meshplane publishes to the other clusters).
   */
  private peer(
    reporter: string,
    end: RecordedEnd,
    service: { namespace: string; name: string } | null | undefined,
    slicePort?: SlicePort,
  ): { peer: FlowPeer; cluster?: string; pod?: boolean } {
    const labelsKey = keyOf(end.labels);
    const local =
      (end.type === 'wep' || end.type === 'hep') && (end.cluster === null || end.cluster === reporter);
    const remote = !local && end.cluster !== null && end.cluster !== reporter && this.knows(end.cluster);
    let id: string;
    let draft: EndpointDraft | undefined;
    if (local || remote) {
      const cluster = local ? reporter : end.cluster!;
      const kind = end.type === 'hep' ? 'host' : 'workload';
      const namespaceLabels = end.namespace === '' ? undefined : this.namespaceIn(cluster, end.namespace);
      id = `${cluster}|${kind}|${end.namespace}|${end.name}|${labelsKey}`;
      draft = this.draft(id, () => ({
        id,
        kind,
        cluster,
        ...(end.namespace === '' ? {} : { namespace: end.namespace }),
        ...(namespaceLabels === undefined ? {} : { namespaceLabels }),
        labels: end.labels,
        ...(end.serviceAccount === null ? {} : { serviceAccount: { name: end.serviceAccount } }),
      }));
      if (end.ip !== null) draft.ips.add(end.ip);
      if (local && service) {
        const key = `${service.namespace}/${service.name}`;
        let membership = draft.services.get(key);
        if (membership === undefined) {
          membership = { ...service, ports: new Map() };
          draft.services.set(key, membership);
        }
        if (slicePort) membership.ports.set(`${slicePort.protocol}/${slicePort.port}`, slicePort);
      }
      const peer = end.ip === null ? { endpoint: id } : { endpoint: id, ip: end.ip };
      return { peer, cluster, pod: kind === 'workload' };
    }
    if (end.ip !== null && end.type !== 'ns') {
      // The reporting cluster knew no endpoint for the address: no policy of any cluster applies
      // to it here (even when the address is a pod another cluster reported), and the reporting
      // cluster's policies see a bare address (or their own network set holding it).
      return { peer: { ip: end.ip, cluster: OUTSIDE } };
    }
    id = `${reporter}|net|${end.namespace}|${end.name}|${labelsKey}`;
    draft = this.draft(id, () => ({
      id,
      kind: 'networkset',
      cluster: reporter,
      ...(end.namespace === '' ? {} : { namespace: end.namespace }),
      labels: end.labels,
    }));
    if (end.ip !== null) draft.ips.add(hostNet(end.ip));
    return { peer: end.ip === null ? { endpoint: id } : { endpoint: id, ip: end.ip } };
  }

  /**
   * The network set of cluster `observer` standing for a pod of cluster `cluster`, as the
   * compiler publishes it: in the pod's namespace where the observer has it, else global.
   */
  private remoteView(observer: string, end: RecordedEnd, cluster: string): void {
    if (end.ip === null) return;
    const namespaceLabels = this.namespaceIn(observer, end.namespace);
    const id = `${observer}|remote|${cluster}|${end.namespace}|${end.workload}|${keyOf(end.labels)}`;
    const draft = this.draft(id, () => ({
      id,
      ...remoteEndpointView(
        observer,
        { cluster, namespace: end.namespace, labels: end.labels },
        namespaceLabels,
      ),
    }));
    draft.ips.add(hostNet(end.ip));
  }

  /** Whether a cluster is one of the tenant's (every cluster is, without namespace facts). */
  private knows(cluster: string): boolean {
    return this.namespaces === undefined || this.namespaces.has(cluster);
  }

  /** The labels of a namespace in a cluster; undefined when the cluster does not have it. */
  private namespaceIn(cluster: string, namespace: string): Labels | undefined {
    const known = this.namespaces?.get(cluster);
    return known === undefined ? {} : known.get(namespace);
  }

  private draft(id: string, make: () => EndpointDraft['endpoint']): EndpointDraft {
    let draft = this.drafts.get(id);
    if (draft === undefined) {
      draft = { endpoint: make(), ips: new Set(), services: new Map() };
      this.drafts.set(id, draft);
    }
    return draft;
  }
}

function keyOf(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * The EndpointSlice port a flow through a Service shows the endpoint has: the destination port it
 * was reached on (after DNAT, the endpoint's own port). Calico's destination `services` match
 * needs it; only TCP, UDP and SCTP have slice ports.
 */
function sliceProtocol(protocol: string, port: number): SlicePort | undefined {
  const name = SLICE_PROTOCOLS[protocol.toLowerCase()];
  return name === undefined ? undefined : { port, protocol: name };
}

/** Calico's protocol name for a stored (lower-case) one; undefined when the evaluator has none. */
export function evaluatorProtocol(protocol: string): string | number | undefined {
  const names: Record<string, string> = {
    tcp: 'TCP',
    udp: 'UDP',
    icmp: 'ICMP',
    icmpv6: 'ICMPv6',
    sctp: 'SCTP',
    udplite: 'UDPLite',
  };
  const named = names[protocol.toLowerCase()];
  if (named !== undefined) return named;
  return /^\d{1,3}$/.test(protocol) && Number(protocol) >= 1 && Number(protocol) <= 255
    ? Number(protocol)
    : undefined;
}

function hostNet(ip: string): string {
  return ip.includes(':') ? `${ip}/128` : `${ip}/32`;
}

/** The verdict of a recorded flow under a policy set: Calico's decision for both ends, with traces. */
export interface Evaluated {
  allowed: boolean;
  trace: string[];
}

/**
 * The names traces give the policies of a set, by the evaluator's key where it differs from the
 * key: the policies service makes each cluster's generated compliance policy unique in the set
 * (`meshplane-compliance.isolation.<cluster>`), while the API, flows and bundles know one policy,
 * `isolation` (see libs/policy `policy-name.ts`).
 */
export function tracePolicyNames(set: PolicySet): ReadonlyMap<string, string> {
  return new Map(
    set.policies
      .filter((policy) => policy.generated)
      .map((policy) => [policy.metadata.name, COMPLIANCE_POLICY_NAME] as const),
  );
}

/** A trace step with its policy named as the API names it (`namespace/name` or `name`). */
function named(step: TraceStep, names: ReadonlyMap<string, string>): TraceStep {
  if (step.kind !== 'rule') return step;
  const renamed = names.get(step.policy);
  if (renamed !== undefined) return { ...step, policy: renamed };
  const slash = step.policy.indexOf('/');
  const name = apiPolicyName(step.tier, step.policy.slice(slash + 1));
  return { ...step, policy: policyReference(name, slash < 0 ? undefined : step.policy.slice(0, slash)) };
}

/** Both sides' traces, one line per step, prefixed with the side, policies named as the API does. */
export function traceLines(verdicts: Verdicts, names: ReadonlyMap<string, string>): string[] {
  const lines = (side: string, trace: readonly TraceStep[]) =>
    formatTrace(trace.map((step) => named(step, names))).map((line) => `${side}: ${line}`);
  return [
    ...(verdicts.egress ? lines('egress', verdicts.egress.trace) : []),
    ...(verdicts.ingress ? lines('ingress', verdicts.ingress.trace) : []),
  ];
}

/** Evaluates every flow of a world under a policy set; undefined where a flow cannot be evaluated. */
export function evaluateWorld(
  set: EvaluatedPolicySet,
  world: FlowWorld,
  endpoints: Endpoint[] = world.endpoints(),
): (FlowVerdict | undefined)[] {
  const evaluator = new PolicyEvaluator({ ...set, endpoints });
  return world.flows.map((flow) => {
    if (flow === undefined) return undefined;
    try {
      return evaluator.evaluate(flow);
    } catch {
      return undefined;
    }
  });
}

/** Evaluates recorded flows under a policy set; a set the evaluator refuses is bad input. */
export function evaluateRecorded(
  set: ReturnType<typeof evaluatedPolicySet>,
  world: FlowWorld,
  endpoints = world.endpoints(),
): (FlowVerdict | undefined)[] {
  try {
    return evaluateWorld(set, world, endpoints);
  } catch (error) {
    if (error instanceof EvaluationError && error.code === 'INVALID_POLICY_SET') {
      throw insightError('INVALID_POLICY_SET', { field: 'input.changes' }, `input.changes: ${error.message}`);
    }
    throw error;
  }
}
