import type { Cluster, Endpoint } from '../model/endpoint.js';
import type { Flow, FlowPeer } from '../model/flow.js';
import { type Policy, type PolicyType, policyNamespace } from '../model/policy.js';
import { protocolNumber } from '../model/protocol.js';
import type { IpVersion } from '../model/rule.js';
import {
  builtInTier,
  compareNames,
  compareOrders,
  compareTiers,
  DEFAULT_TIER,
  type Tier,
} from '../model/tier.js';
import { type IpAddress, type IpNetwork, networkContains, parseIp, parseNetwork } from '../net/ip.js';
import type { Labels } from '../selector/compile.js';
import { validatePolicySet } from '../validate/validate-policy.js';
import {
  type CompiledPolicy,
  type CompiledRule,
  compilePolicy,
  type FlowEnds,
  type FlowFacts,
  SelectorCache,
} from './compile-policy.js';
import { EvaluationError } from './evaluate.errors.js';
import { clusterView, namespaceLabels, type PeerView, viewOfAddress, viewOfEndpoint } from './peer.js';
import type { FlowVerdict, SideVerdict, TraceStep, Verdict, Verdicts } from './trace.js';

export interface PolicyWorld {
  readonly tiers: readonly Tier[];
  readonly policies: readonly Policy[];
  /** Workloads, host endpoints and network sets of every cluster. */
  readonly endpoints: readonly Endpoint[];
  /** Cluster labels, for `clusterSelector`. */
  readonly clusters?: readonly Cluster[];
}

interface ResolvedTier {
  readonly name: string;
  readonly defaultAction: 'Deny' | 'Pass';
}

interface NetworkSetEntry {
  readonly endpoint: Endpoint;
  readonly nets: readonly IpNetwork[];
}

/**
 * Calico's policy evaluation for one flow, for both ends: the egress of the source endpoint and
 * the ingress of the destination endpoint, each with the trace that decided it.
 *
 * - Tiers: the world's, plus `default`; built-in tiers (`default`, and `kube-admin` and
 *   `kube-baseline` when listed) always have Calico's order and default action.
 * - Only tiers with at least one policy that selects the endpoint for that direction apply, in tier
 *   order; inside a tier, policies by order then name; Allow and Deny decide, Pass jumps to the next
 *   applicable tier, Log continues; a tier whose rules do not decide takes its default action.
 * - No applicable tier: pods are allowed (Kubernetes profile), host endpoints denied. Passing every
 *   tier ends at the same profile.
 * - Staged policies never decide: they are evaluated separately, as if enforced in place of the
 *   enforced policy of the same kind and name, and reported under `staged`.
 * - Each end sees the other as its own cluster does: an endpoint of the same cluster by its labels,
 *   one of another cluster through the network sets of the observing cluster that hold its address
 *   (how Meshplane publishes remote endpoints), else as a bare address no selector matches.
 *
 * Everything is compiled once in the constructor; {@link evaluate} can be called many times.
 */
export class PolicyEvaluator {
  private readonly tiers = new Map<string, ResolvedTier>();
  private readonly enforced: readonly CompiledPolicy[];
  private readonly stagedView: readonly CompiledPolicy[];
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly byAddress = new Map<string, Endpoint[]>();
  /** Network sets by the addresses of their host nets (/32, /128), and those with wider nets. */
  private readonly hostSets = new Map<string, NetworkSetEntry[]>();
  private readonly wideSets: NetworkSetEntry[] = [];
  private readonly clusterLabels = new Map<string, Labels>();

  constructor(world: PolicyWorld) {
    const issues = validatePolicySet(world);
    if (issues.length > 0) {
      const first = issues[0]!;
      throw new EvaluationError(
        'INVALID_POLICY_SET',
        `the policy set is invalid (${issues.length} issue(s)); first: ${first.path}: ${first.message}`,
        issues,
      );
    }
    const tiers = new Map<string, Tier>([[DEFAULT_TIER.name, DEFAULT_TIER]]);
    for (const tier of world.tiers) tiers.set(tier.name, builtInTier(tier.name) ?? tier);
    const ranked = [...tiers.values()].sort(compareTiers);
    for (const tier of ranked)
      this.tiers.set(tier.name, { name: tier.name, defaultAction: tier.defaultAction ?? 'Deny' });
    const tierRank = new Map(ranked.map((tier, rank) => [tier.name, rank]));

    const selectors = new SelectorCache();
    const compiled = world.policies
      .map((policy) => compilePolicy(policy, selectors))
      .sort(
        (a, b) =>
          tierRank.get(a.tier)! - tierRank.get(b.tier)! ||
          compareOrders(a.order, b.order) ||
          compareNames(felixSortKey(a), felixSortKey(b)),
      );
    this.enforced = compiled.filter((p) => !p.staged);
    const replaced = new Set(compiled.filter((p) => p.staged).map(identity));
    this.stagedView = compiled.filter((p) => p.staged || !replaced.has(identity(p)));

    for (const cluster of world.clusters ?? []) this.clusterLabels.set(cluster.name, cluster.labels);
    for (const endpoint of world.endpoints) this.addEndpoint(endpoint);
  }

  /** Evaluates one flow. @throws EvaluationError for unknown endpoints, bad addresses or protocols. */
  evaluate(flow: Flow): FlowVerdict {
    const protocol = protocolNumber(flow.protocol);
    if (protocol === undefined)
      throw new EvaluationError('INVALID_PROTOCOL', `unknown protocol "${flow.protocol}"`);
    const family = this.family(flow);
    const facts: FlowFacts = { flow, protocol, family };
    const source = this.subject(flow.source);
    const destination = this.subject(flow.destination);
    const egressEnds = source && {
      source: this.view(source, flow.source, family),
      destination: this.peerView(flow.destination, source.cluster, family),
    };
    const ingressEnds = destination && {
      source: this.peerView(flow.source, destination.cluster, family),
      destination: this.view(destination, flow.destination, family),
    };
    const verdicts = (policies: readonly CompiledPolicy[]): Verdicts => {
      const egress = source && egressEnds && this.evaluateSide(source, 'Egress', egressEnds, facts, policies);
      const ingress =
        destination && ingressEnds && this.evaluateSide(destination, 'Ingress', ingressEnds, facts, policies);
      return {
        allowed: egress?.action !== 'Deny' && ingress?.action !== 'Deny',
        ...(egress ? { egress } : {}),
        ...(ingress ? { ingress } : {}),
      };
    };
    return { ...verdicts(this.enforced), staged: verdicts(this.stagedView) };
  }

  private evaluateSide(
    endpoint: Endpoint,
    direction: PolicyType,
    ends: FlowEnds,
    facts: FlowFacts,
    policies: readonly CompiledPolicy[],
  ): SideVerdict {
    const self = direction === 'Egress' ? ends.source : ends.destination;
    const labels = self.labels!;
    const nsLabels = namespaceLabels(endpoint);
    const cluster = clusterView(
      endpoint.cluster,
      endpoint.cluster === undefined ? undefined : this.clusterLabels.get(endpoint.cluster),
    );
    const applicable = policies.filter(
      (p) => p.types.has(direction) && p.selects(endpoint, labels, nsLabels, cluster),
    );
    const trace: TraceStep[] = [];
    const decide = (action: Verdict): SideVerdict => ({ endpoint: endpoint.id, direction, action, trace });
    const profileAction: Verdict = endpoint.kind === 'host' ? 'Deny' : 'Allow';
    if (applicable.length === 0) {
      trace.push({ kind: 'no-tier-applies', action: profileAction });
      return decide(profileAction);
    }
    let index = 0;
    while (index < applicable.length) {
      const tierName = applicable[index]!.tier;
      let end = index;
      while (end < applicable.length && applicable[end]!.tier === tierName) end++;
      const outcome = this.evaluateTier(applicable.slice(index, end), direction, ends, facts, trace);
      if (outcome === 'Allow' || outcome === 'Deny') return decide(outcome);
      if (outcome === undefined) {
        const { defaultAction } = this.tiers.get(tierName)!;
        trace.push({ kind: 'tier-default', tier: tierName, action: defaultAction });
        if (defaultAction === 'Deny') return decide('Deny');
      }
      index = end;
    }
    trace.push({ kind: 'end-of-tiers', action: profileAction });
    return decide(profileAction);
  }

  /** Runs one tier's policies; returns the deciding action, 'Pass', or undefined when nothing decided. */
  private evaluateTier(
    policies: readonly CompiledPolicy[],
    direction: PolicyType,
    ends: FlowEnds,
    facts: FlowFacts,
    trace: TraceStep[],
  ): 'Allow' | 'Deny' | 'Pass' | undefined {
    for (const policy of policies) {
      const rules: readonly CompiledRule[] = direction === 'Ingress' ? policy.ingress : policy.egress;
      for (const rule of rules) {
        if (!rule.matches(ends, facts)) continue;
        trace.push({
          kind: 'rule',
          tier: policy.tier,
          policy: policy.key,
          policyKind: policy.policy.kind,
          staged: policy.staged,
          ruleIndex: rule.index,
          action: rule.action,
        });
        if (rule.action !== 'Log') return rule.action;
      }
    }
    return undefined;
  }

  /** The endpoint whose policies apply at this end of the flow, if any. */
  private subject(peer: FlowPeer): Endpoint | undefined {
    if ('endpoint' in peer) {
      const endpoint = this.endpoint(peer.endpoint);
      return endpoint.kind === 'networkset' ? undefined : endpoint;
    }
    const candidates = (this.byAddress.get(addressKey(this.address(peer.ip))) ?? []).filter(
      (endpoint) => peer.cluster === undefined || endpoint.cluster === peer.cluster,
    );
    return candidates.length === 1 ? candidates[0] : undefined;
  }

  /**
   * The flow's IP family, which rules with an `ipVersion` (or only CIDRs of one family) need:
   * that of the addresses the flow gives (both must agree), else the first family of the source
   * endpoint's addresses that the destination endpoint also has (either end's, when the other
   * has none). Undefined when neither end has an address: such a flow matches no rule restricted
   * to one family, as it matches no `nets`.
   */
  private family(flow: Flow): IpVersion | undefined {
    const given = [flow.source.ip, flow.destination.ip].flatMap((text) =>
      text === undefined ? [] : [this.address(text).family],
    );
    if (given.length === 2 && given[0] !== given[1]) {
      throw new EvaluationError(
        'INVALID_ADDRESS',
        `the flow's source "${flow.source.ip}" and destination "${flow.destination.ip}" are of different IP families`,
      );
    }
    if (given.length > 0) return given[0];
    const [source, destination] = [flow.source, flow.destination].map((peer) =>
      'endpoint' in peer ? this.endpoint(peer.endpoint).ips.map(familyOf) : [],
    ) as [IpVersion[], IpVersion[]];
    const first = source.length > 0 ? source : destination;
    const other = source.length > 0 ? destination : [];
    return first.find((family) => other.length === 0 || other.includes(family)) ?? first[0];
  }

  /** The subject endpoint's own view, with the address the flow used. */
  private view(endpoint: Endpoint, peer: FlowPeer, family: IpVersion | undefined): PeerView {
    return this.withSets(
      viewOfEndpoint(endpoint, this.flowAddress(endpoint, peer, family)),
      endpoint.cluster,
    );
  }

  /** The other end as the cluster `observer` sees it. */
  private peerView(peer: FlowPeer, observer: string | undefined, family: IpVersion | undefined): PeerView {
    if ('endpoint' in peer) {
      const endpoint = this.endpoint(peer.endpoint);
      const ip = this.flowAddress(endpoint, peer, family);
      if (endpoint.kind === 'networkset' || sameCluster(endpoint.cluster, observer))
        return this.withSets(viewOfEndpoint(endpoint, ip), observer);
      return ip === undefined
        ? { namespaceView: {}, serviceAccountLabels: {} }
        : this.resolveAddress(ip, observer);
    }
    return this.resolveAddress(this.address(peer.ip), observer);
  }

  /**
   * An address seen from a cluster: its endpoint there, else the most specific network set, else
   * unknown; the network sets holding it besides are kept for selector matches (see `withSets`).
   */
  private resolveAddress(ip: IpAddress, observer: string | undefined): PeerView {
    const local = (this.byAddress.get(addressKey(ip)) ?? []).find((e) => sameCluster(e.cluster, observer));
    if (local !== undefined) return this.withSets(viewOfEndpoint(local, ip), observer);
    const held = this.setsHolding(ip, observer);
    let best: { endpoint: Endpoint; prefixLength: number } | undefined;
    for (const entry of held) {
      if (best === undefined || entry.prefixLength > best.prefixLength) best = entry;
    }
    return best === undefined
      ? viewOfAddress(ip)
      : this.withSets(viewOfEndpoint(best.endpoint, ip), observer, held);
  }

  /**
   * The view, with the other network sets of the observing cluster that hold its address (`held`
   * when the caller already looked them up).
   */
  private withSets(
    view: PeerView,
    observer: string | undefined,
    held = view.ip === undefined ? [] : this.setsHolding(view.ip, observer),
  ): PeerView {
    if (view.ip === undefined) return view;
    const also: PeerView[] = [];
    for (const { endpoint } of held) {
      if (endpoint !== view.endpoint) also.push(viewOfEndpoint(endpoint, view.ip));
    }
    return also.length === 0 ? view : { ...view, alsoMatchedAs: also };
  }

  /** Network sets of the observing cluster with a net holding the address, each with its most specific such net. */
  private setsHolding(
    ip: IpAddress,
    observer: string | undefined,
  ): { endpoint: Endpoint; prefixLength: number }[] {
    const found = new Map<Endpoint, number>();
    const consider = (entry: NetworkSetEntry, prefixLength: number) => {
      if (!sameCluster(entry.endpoint.cluster, observer)) return;
      const known = found.get(entry.endpoint);
      if (known === undefined || prefixLength > known) found.set(entry.endpoint, prefixLength);
    };
    for (const entry of this.hostSets.get(addressKey(ip)) ?? []) consider(entry, ip.family === 4 ? 32 : 128);
    for (const entry of this.wideSets) {
      for (const net of entry.nets) {
        if (!isHostNet(net) && networkContains(net, ip)) consider(entry, net.prefixLength);
      }
    }
    return [...found].map(([endpoint, prefixLength]) => ({ endpoint, prefixLength }));
  }

  /** The address given for this end, else the endpoint's first of the flow's family. */
  private flowAddress(
    endpoint: Endpoint,
    peer: FlowPeer,
    family: IpVersion | undefined,
  ): IpAddress | undefined {
    const text = peer.ip ?? endpoint.ips.find((ip) => family === undefined || familyOf(ip) === family);
    if (text === undefined) return undefined;
    if (endpoint.kind === 'networkset' && peer.ip === undefined) {
      const net = parseNetwork(text);
      return net && { family: net.family, value: net.base };
    }
    return this.address(text);
  }

  private address(text: string): IpAddress {
    const ip = parseIp(text);
    if (ip === undefined)
      throw new EvaluationError('INVALID_ADDRESS', `"${text}" is not an IPv4 or IPv6 address`);
    return ip;
  }

  private endpoint(id: string): Endpoint {
    const endpoint = this.endpoints.get(id);
    if (endpoint === undefined) throw new EvaluationError('UNKNOWN_ENDPOINT', `no endpoint "${id}"`);
    return endpoint;
  }

  private addEndpoint(endpoint: Endpoint): void {
    if (this.endpoints.has(endpoint.id)) {
      throw new EvaluationError('DUPLICATE_ENDPOINT', `endpoint "${endpoint.id}" is listed twice`);
    }
    this.endpoints.set(endpoint.id, endpoint);
    if (endpoint.kind === 'networkset') {
      const nets = endpoint.ips.map((text) => {
        const net = parseNetwork(text);
        if (net === undefined)
          throw new EvaluationError(
            'INVALID_ADDRESS',
            `network set "${endpoint.id}": "${text}" is not a CIDR`,
          );
        return net;
      });
      const entry = { endpoint, nets };
      for (const net of nets) {
        if (!isHostNet(net)) continue;
        const key = addressKey({ family: net.family, value: net.base });
        const list = this.hostSets.get(key);
        if (list === undefined) this.hostSets.set(key, [entry]);
        else if (!list.includes(entry)) list.push(entry);
      }
      if (nets.some((net) => !isHostNet(net))) this.wideSets.push(entry);
      return;
    }
    for (const text of endpoint.ips) {
      const key = addressKey(this.address(text));
      const list = this.byAddress.get(key);
      if (list === undefined) this.byAddress.set(key, [endpoint]);
      else list.push(endpoint);
    }
  }
}

/** Evaluates one flow against a world; build a {@link PolicyEvaluator} to evaluate many. */
export function evaluateFlow(world: PolicyWorld, flow: Flow): FlowVerdict {
  return new PolicyEvaluator(world).evaluate(flow);
}

/**
 * Felix breaks ties of order by "name/namespace/kind" (felix/calc/policy_sorter.go `PolKVLess`),
 * name first: a GlobalNetworkPolicy `p` comes before a NetworkPolicy `a/p`.
 */
function felixSortKey(policy: CompiledPolicy): string {
  const { metadata } = policy.policy;
  return `${metadata.name}/${policyNamespace(policy.policy) ?? ''}/${policy.policy.kind}`;
}

function identity(policy: CompiledPolicy): string {
  return `${policy.policy.kind}:${policy.key}`;
}

function sameCluster(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

function isHostNet(net: IpNetwork): boolean {
  return net.prefixLength === (net.family === 4 ? 32 : 128);
}

/** The family of an endpoint's address or a network set's CIDR (both validated when added). */
function familyOf(text: string): IpVersion {
  return (parseIp(text) ?? parseNetwork(text))!.family;
}

function addressKey(ip: IpAddress): string {
  return `${ip.family}:${ip.value}`;
}
