import { type IpAddress, type IpNetwork, networkContains, parseIp, parseNetwork } from '../net/ip.js';
import type { SelectorNode } from '../selector/ast.js';
import { compileSelector, type LabelMatcher, type Labels } from '../selector/compile.js';
import type {
  CalicoResource,
  ClusterDataplaneState,
  DataplaneSide,
  DataplaneVerdict,
  Packet,
} from './cluster-state.js';
import { DataplaneError } from './dataplane.errors.js';
import {
  type EntitySelectors,
  entityRuleSelector,
  globalPolicySelector,
  LABEL_NAME,
  LABEL_NAMESPACE,
  LABEL_ORCHESTRATOR,
  LABEL_SERVICE_ACCOUNT,
  NAMESPACE_PREFIX,
  networkPolicySelector,
  parseV3,
  SERVICE_ACCOUNT_PREFIX,
} from './felix-selectors.js';

/**
 * A reference data plane: decides a packet inside ONE cluster the way Calico's Felix does, from
 * only what that cluster holds — its pods, namespaces and service accounts, and the
 * `projectcalico.org/v3` objects applied to it (a Meshplane bundle) — and nothing of Meshplane's
 * tenant-wide view. It is written apart from {@link PolicyEvaluator} on purpose, following Felix's
 * own pipeline rather than Meshplane's model, so that the two can be compared (see the
 * differential tests):
 *
 * - endpoints carry the labels Calico gives them: a pod's own labels, then
 *   `projectcalico.org/namespace`, `projectcalico.org/orchestrator: k8s` and
 *   `projectcalico.org/serviceaccount` (which win over pod labels of the same name), and the labels
 *   of its profiles — its namespace's as `pcns.<label>` (plus `pcns.projectcalico.org/name`) and its
 *   service account's as `pcsa.<label>`; own labels win over inherited ones. A namespaced
 *   NetworkSet gets `projectcalico.org/namespace` and its namespace's profile too (libcalico-go
 *   networksetprocessor.go); a GlobalNetworkSet only its own labels;
 * - every v3 selector is rewritten into the one selector Felix matches (see felix-selectors.ts);
 * - a rule selector matches a packet when the peer's ADDRESS is in the IP set of the selector:
 *   the addresses of every matching pod and the CIDRs of every matching network set (so a network
 *   set's CIDR counts even where a more specific endpoint holds the address, as in Felix's ipsets);
 * - policies apply to the pods their selector matches, per direction (`types`, defaulted as Calico
 *   does); tiers in order (order, none last, ties by name; `default` exists with order 1,000,000);
 *   policies in order, ties by "name/namespace/kind" (felix/calc/policy_sorter.go `PolKVLess`);
 *   Allow and Deny decide, Pass skips to the next tier, Log goes on, a tier that applies but does
 *   not decide takes its default action, and the namespace profile allows what passes every tier
 *   (or what no tier applies to). Staged kinds are never enforced.
 *
 * What it does not model it refuses with a {@link DataplaneError} (`UNSUPPORTED`): host endpoints,
 * preDNAT/doNotTrack/applyOnForward, `services` and named-port matches, HTTP matches.
 */
export class ReferenceDataplane {
  private readonly tiers: TierChain[];
  private readonly podsByAddress = new Map<string, PodEndpoint>();
  private readonly members: Member[] = [];
  private readonly ipSets = new Map<string, { readonly nets: readonly IpNetwork[] }>();

  constructor(state: ClusterDataplaneState) {
    const namespaceProfiles = new Map<string, Labels>();
    for (const ns of state.namespaces) {
      namespaceProfiles.set(ns.name, prefixLabels({ ...ns.labels, [LABEL_NAME]: ns.name }, NAMESPACE_PREFIX));
    }
    const accountProfiles = new Map<string, Labels>();
    for (const sa of state.serviceAccounts ?? []) {
      accountProfiles.set(
        `${sa.namespace}/${sa.name}`,
        prefixLabels({ ...sa.labels, [LABEL_NAME]: sa.name }, SERVICE_ACCOUNT_PREFIX),
      );
    }

    for (const pod of state.pods) {
      const own: Record<string, string> = { ...pod.labels };
      own[LABEL_NAMESPACE] = pod.namespace;
      own[LABEL_ORCHESTRATOR] = 'k8s';
      if (pod.serviceAccount !== undefined) own[LABEL_SERVICE_ACCOUNT] = pod.serviceAccount;
      const labels = {
        ...namespaceProfiles.get(pod.namespace),
        ...(pod.serviceAccount === undefined
          ? {}
          : accountProfiles.get(`${pod.namespace}/${pod.serviceAccount}`)),
        ...own,
      };
      const endpoint: PodEndpoint = { id: `${pod.namespace}/${pod.name}`, namespace: pod.namespace, labels };
      const nets: IpNetwork[] = [];
      for (const text of pod.ips) {
        const ip = address(text, `pod ${endpoint.id}`);
        this.podsByAddress.set(key(ip), endpoint);
        nets.push({ family: ip.family, base: ip.value, prefixLength: ip.family === 4 ? 32 : 128 });
      }
      this.members.push({ labels, nets });
    }

    const tierObjects = new Map<string, { order: number | undefined; defaultAction: 'Deny' | 'Pass' }>([
      ['default', { order: 1_000_000, defaultAction: 'Deny' }],
    ]);
    // Policies are compiled once every IP set member (pod, network set) is known, whatever the order.
    const policyObjects: { object: CalicoResource; spec: V3Spec; where: string }[] = [];
    for (const object of state.objects) {
      if (!object.apiVersion.startsWith('projectcalico.org/')) continue;
      const where = `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`;
      const spec = (object.spec ?? {}) as V3Spec;
      switch (object.kind) {
        case 'Tier': {
          const order = spec.order;
          const defaultAction = spec.defaultAction ?? 'Deny';
          if (defaultAction !== 'Deny' && defaultAction !== 'Pass')
            throw new DataplaneError('INVALID_OBJECT', `${where}: defaultAction "${String(defaultAction)}"`);
          tierObjects.set(object.metadata.name, {
            order:
              object.metadata.name === 'default' ? 1_000_000 : typeof order === 'number' ? order : undefined,
            defaultAction,
          });
          break;
        }
        case 'NetworkSet':
        case 'GlobalNetworkSet':
          this.members.push(this.networkSet(object, spec, namespaceProfiles, where));
          break;
        case 'NetworkPolicy':
        case 'GlobalNetworkPolicy':
          policyObjects.push({ object, spec, where });
          break;
        case 'StagedNetworkPolicy':
        case 'StagedGlobalNetworkPolicy':
        case 'StagedKubernetesNetworkPolicy':
        case 'FelixConfiguration':
          break; // never enforced / nothing the policy decision reads
        default:
          throw new DataplaneError('UNSUPPORTED', `${where}: kind ${object.kind} is not modelled`);
      }
    }

    const policies = policyObjects.map(({ object, spec, where }) => this.policy(object, spec, where));
    for (const policy of policies) {
      if (!tierObjects.has(policy.tier))
        throw new DataplaneError('INVALID_OBJECT', `${policy.id}: tier ${policy.tier} does not exist`);
    }
    this.tiers = [...tierObjects.entries()]
      .map(([name, tier]) => ({
        name,
        order: tier.order,
        defaultAction: tier.defaultAction,
        policies: policies.filter((p) => p.tier === name).sort(comparePolicies),
      }))
      .sort(compareTiers);
  }

  /** Felix's decision for a packet between two addresses, on the chains of this cluster's pods. */
  decide(packet: Packet): DataplaneVerdict {
    const facts = this.facts(packet);
    const sourcePod = this.podsByAddress.get(key(facts.source));
    const destinationPod = this.podsByAddress.get(key(facts.destination));
    const egress = sourcePod && this.chain(sourcePod, 'Egress', facts);
    const ingress = destinationPod && this.chain(destinationPod, 'Ingress', facts);
    return {
      allowed: egress?.action !== 'Deny' && ingress?.action !== 'Deny',
      ...(egress ? { egress } : {}),
      ...(ingress ? { ingress } : {}),
    };
  }

  private chain(pod: PodEndpoint, direction: Direction, facts: PacketFacts): DataplaneSide {
    const side = (action: 'Allow' | 'Deny', decidedBy: string): DataplaneSide => ({
      pod: pod.id,
      action,
      decidedBy,
    });
    for (const tier of this.tiers) {
      const applicable = tier.policies.filter((p) => p.types.has(direction) && p.selects(pod.labels));
      if (applicable.length === 0) continue;
      let passed = false;
      policies: for (const policy of applicable) {
        for (const rule of direction === 'Ingress' ? policy.ingress : policy.egress) {
          if (!rule(facts)) continue;
          const action = rule.action;
          if (action === 'Log') continue;
          if (action === 'Pass') {
            passed = true;
            break policies;
          }
          return side(action, policy.id);
        }
      }
      if (passed) continue;
      if (tier.defaultAction === 'Deny') return side('Deny', `tier ${tier.name}`);
    }
    return side('Allow', `profile kns.${pod.namespace}`);
  }

  private facts(packet: Packet): PacketFacts {
    const source = address(packet.source, 'packet source');
    const destination = address(packet.destination, 'packet destination');
    if (source.family !== destination.family)
      throw new DataplaneError('INVALID_PACKET', 'source and destination are of different IP versions');
    const protocol = protocolNumber(packet.protocol);
    if (protocol === undefined)
      throw new DataplaneError('INVALID_PACKET', `unknown protocol ${String(packet.protocol)}`);
    return {
      source,
      destination,
      protocol,
      ...(packet.sourcePort === undefined ? {} : { sourcePort: packet.sourcePort }),
      ...(packet.destinationPort === undefined ? {} : { destinationPort: packet.destinationPort }),
      ...(packet.icmp === undefined ? {} : { icmp: packet.icmp }),
    };
  }

  private networkSet(
    object: CalicoResource,
    spec: V3Spec,
    namespaceProfiles: ReadonlyMap<string, Labels>,
    where: string,
  ): Member {
    const nets = (Array.isArray(spec.nets) ? spec.nets : []).map((text) => network(String(text), where));
    const namespace = object.metadata.namespace;
    if (object.kind === 'GlobalNetworkSet' || namespace === undefined)
      return { labels: { ...object.metadata.labels }, nets };
    return {
      labels: {
        ...namespaceProfiles.get(namespace),
        ...object.metadata.labels,
        [LABEL_NAMESPACE]: namespace,
      },
      nets,
    };
  }

  private policy(object: CalicoResource, spec: V3Spec, where: string): EnforcedPolicy {
    for (const field of ['preDNAT', 'doNotTrack', 'applyOnForward'] as const)
      if (spec[field] === true)
        throw new DataplaneError('UNSUPPORTED', `${where}: spec.${field} is not modelled`);
    const namespace = object.kind === 'NetworkPolicy' ? object.metadata.namespace : undefined;
    if (object.kind === 'NetworkPolicy' && namespace === undefined)
      throw new DataplaneError('INVALID_OBJECT', `${where}: a NetworkPolicy needs a namespace`);
    const selector =
      namespace === undefined
        ? globalPolicySelector(spec, where)
        : networkPolicySelector(spec, namespace, where);
    const ingressRules = rulesOf(spec.ingress);
    const egressRules = rulesOf(spec.egress);
    const order = spec.order;
    return {
      id: namespace === undefined ? object.metadata.name : `${namespace}/${object.metadata.name}`,
      sortKey: `${object.metadata.name}/${namespace ?? ''}/${object.kind}`,
      tier: typeof spec.tier === 'string' && spec.tier !== '' ? spec.tier : 'default',
      order: typeof order === 'number' ? order : Number.POSITIVE_INFINITY,
      types: policyTypes(spec.types, ingressRules.length, egressRules.length),
      selects: compileSelector(selector),
      ingress: ingressRules.map((rule, i) => this.rule(rule, namespace, `${where}.spec.ingress[${i}]`)),
      egress: egressRules.map((rule, i) => this.rule(rule, namespace, `${where}.spec.egress[${i}]`)),
    };
  }

  private rule(rule: V3Rule, namespace: string | undefined, where: string): CompiledRule {
    if (rule.http !== undefined) throw new DataplaneError('UNSUPPORTED', `${where}.http is not modelled`);
    const action = rule.action;
    if (action !== 'Allow' && action !== 'Deny' && action !== 'Pass' && action !== 'Log')
      throw new DataplaneError('INVALID_OBJECT', `${where}.action "${String(action)}"`);
    const checks: ((facts: PacketFacts) => boolean)[] = [];
    if (rule.ipVersion !== undefined) {
      const version = rule.ipVersion;
      checks.push((facts) => facts.source.family === version);
    }
    if (rule.protocol !== undefined) {
      const protocol = protocolOf(rule.protocol, `${where}.protocol`);
      checks.push((facts) => facts.protocol === protocol);
    }
    if (rule.notProtocol !== undefined) {
      const protocol = protocolOf(rule.notProtocol, `${where}.notProtocol`);
      checks.push((facts) => facts.protocol !== protocol);
    }
    if (rule.icmp !== undefined) {
      const icmp = rule.icmp;
      checks.push((facts) => icmpMatches(icmp, facts));
    }
    if (rule.notICMP !== undefined) {
      const icmp = rule.notICMP;
      checks.push((facts) => !icmpMatches(icmp, facts));
    }
    for (const side of ['source', 'destination'] as const) {
      const entity = rule[side];
      if (entity === undefined) continue;
      // felix/rules/policy.go FilterRuleToIPVersion: a rule is rendered for an IP version only if
      // each of its non-empty nets lists keeps a CIDR of that version.
      for (const list of [entity.nets, entity.notNets]) {
        if (!list?.length) continue;
        const families = new Set(list.map((text) => (text.includes(':') ? 6 : 4)));
        checks.push((facts) => families.has(facts.source.family));
      }
      const match = this.entity(entity, namespace, `${where}.${side}`);
      checks.push(
        side === 'source'
          ? (facts) => match(facts.source, facts.sourcePort)
          : (facts) => match(facts.destination, facts.destinationPort),
      );
    }
    const compiled = ((facts: PacketFacts) => checks.every((check) => check(facts))) as CompiledRule;
    compiled.action = action;
    return compiled;
  }

  private entity(
    entity: V3EntityRule,
    namespace: string | undefined,
    where: string,
  ): (ip: IpAddress, port: number | undefined) => boolean {
    if (entity.services !== undefined)
      throw new DataplaneError('UNSUPPORTED', `${where}.services is not modelled`);
    const checks: ((ip: IpAddress, port: number | undefined) => boolean)[] = [];
    if (entity.nets?.length) {
      const nets = entity.nets.map((text) => network(text, `${where}.nets`));
      checks.push((ip) => nets.some((net) => networkContains(net, ip)));
    }
    if (entity.notNets?.length) {
      const nets = entity.notNets.map((text) => network(text, `${where}.notNets`));
      checks.push((ip) => !nets.some((net) => networkContains(net, ip)));
    }
    const positive = entityRuleSelector(entity as EntitySelectors, namespace, where);
    if (positive !== undefined) {
      const set = this.ipSet(positive);
      checks.push((ip) => set.nets.some((net) => networkContains(net, ip)));
    }
    const negative = parseV3(entity.notSelector, `${where}.notSelector`);
    if (negative !== undefined) {
      const set = this.ipSet(negative);
      checks.push((ip) => !set.nets.some((net) => networkContains(net, ip)));
    }
    if (entity.ports?.length) {
      const ranges = entity.ports.map((port) => portRange(port, `${where}.ports`));
      checks.push((_, port) => port !== undefined && ranges.some(([min, max]) => port >= min && port <= max));
    }
    if (entity.notPorts?.length) {
      const ranges = entity.notPorts.map((port) => portRange(port, `${where}.notPorts`));
      checks.push(
        (_, port) => port === undefined || !ranges.some(([min, max]) => port >= min && port <= max),
      );
    }
    return (ip, port) => checks.every((check) => check(ip, port));
  }

  /** The members of a selector's IP set: every matching pod's addresses and network set's CIDRs. */
  private ipSet(selector: SelectorNode): { readonly nets: readonly IpNetwork[] } {
    const id = JSON.stringify(selector);
    let set = this.ipSets.get(id);
    if (set === undefined) {
      const matches: LabelMatcher = compileSelector(selector);
      set = {
        nets: this.members.filter((member) => matches(member.labels)).flatMap((member) => member.nets),
      };
      this.ipSets.set(id, set);
    }
    return set;
  }
}

type Direction = 'Ingress' | 'Egress';

interface PodEndpoint {
  readonly id: string;
  readonly namespace: string;
  readonly labels: Labels;
}

/** Anything whose addresses an IP set may hold: a pod or a network set, with its Felix labels. */
interface Member {
  readonly labels: Labels;
  readonly nets: readonly IpNetwork[];
}

interface PacketFacts {
  readonly source: IpAddress;
  readonly destination: IpAddress;
  readonly protocol: number;
  readonly sourcePort?: number;
  readonly destinationPort?: number;
  readonly icmp?: { readonly type: number; readonly code?: number };
}

type CompiledRule = ((facts: PacketFacts) => boolean) & { action: 'Allow' | 'Deny' | 'Pass' | 'Log' };

interface EnforcedPolicy {
  readonly id: string;
  readonly sortKey: string;
  readonly tier: string;
  readonly order: number;
  readonly types: ReadonlySet<Direction>;
  readonly selects: LabelMatcher;
  readonly ingress: readonly CompiledRule[];
  readonly egress: readonly CompiledRule[];
}

interface TierChain {
  readonly name: string;
  readonly order: number | undefined;
  readonly defaultAction: 'Deny' | 'Pass';
  readonly policies: readonly EnforcedPolicy[];
}

/** The fields of the v3 specs the data plane reads (Tier, network sets, policies), all optional. */
interface V3Spec {
  readonly order?: unknown;
  readonly defaultAction?: unknown;
  readonly nets?: unknown;
  readonly tier?: unknown;
  readonly selector?: string;
  readonly namespaceSelector?: string;
  readonly serviceAccountSelector?: string;
  readonly types?: unknown;
  readonly ingress?: unknown;
  readonly egress?: unknown;
  readonly preDNAT?: unknown;
  readonly doNotTrack?: unknown;
  readonly applyOnForward?: unknown;
}

interface V3EntityRule extends EntitySelectors {
  readonly nets?: readonly string[];
  readonly notNets?: readonly string[];
  readonly ports?: readonly (number | string)[];
  readonly notPorts?: readonly (number | string)[];
  readonly services?: unknown;
}

interface V3Rule {
  readonly action?: string;
  readonly ipVersion?: 4 | 6;
  readonly protocol?: string | number;
  readonly notProtocol?: string | number;
  readonly icmp?: { readonly type?: number; readonly code?: number };
  readonly notICMP?: { readonly type?: number; readonly code?: number };
  readonly source?: V3EntityRule;
  readonly destination?: V3EntityRule;
  readonly http?: unknown;
}

function rulesOf(value: unknown): V3Rule[] {
  return Array.isArray(value) ? (value as V3Rule[]) : [];
}

/** Calico's defaulting of `types`: Ingress, plus Egress when there are egress rules (only Egress without ingress rules). */
function policyTypes(value: unknown, ingress: number, egress: number): ReadonlySet<Direction> {
  if (Array.isArray(value) && value.length > 0) return new Set(value as Direction[]);
  if (egress === 0) return new Set(['Ingress']);
  return new Set(ingress === 0 ? ['Egress'] : ['Ingress', 'Egress']);
}

/** felix/calc/policy_sorter.go `TierLess`: order, none last, ties by name. */
function compareTiers(a: TierChain, b: TierChain): number {
  if (a.order !== b.order) {
    if (a.order === undefined) return 1;
    if (b.order === undefined) return -1;
    return a.order - b.order;
  }
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** `PolKVLess`: order (none = +Inf), ties by "name/namespace/kind". */
function comparePolicies(a: EnforcedPolicy, b: EnforcedPolicy): number {
  if (a.order !== b.order) return a.order < b.order ? -1 : 1;
  return a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0;
}

function prefixLabels(labels: Labels, prefix: string): Labels {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(labels)) out[prefix + name] = value;
  return out;
}

const PROTOCOLS: Readonly<Record<string, number>> = {
  TCP: 6,
  UDP: 17,
  ICMP: 1,
  ICMPv6: 58,
  SCTP: 132,
  UDPLite: 136,
};

function protocolNumber(protocol: string | number): number | undefined {
  if (typeof protocol === 'number')
    return Number.isInteger(protocol) && protocol >= 0 && protocol <= 255 ? protocol : undefined;
  if (Object.hasOwn(PROTOCOLS, protocol)) return PROTOCOLS[protocol];
  return /^\d{1,3}$/.test(protocol) && Number(protocol) <= 255 ? Number(protocol) : undefined;
}

function protocolOf(protocol: string | number, where: string): number {
  const number = protocolNumber(protocol);
  if (number === undefined)
    throw new DataplaneError('INVALID_OBJECT', `${where}: unknown protocol ${String(protocol)}`);
  return number;
}

function icmpMatches(icmp: { readonly type?: number; readonly code?: number }, facts: PacketFacts): boolean {
  if (facts.icmp === undefined) return false;
  if (icmp.type !== undefined && facts.icmp.type !== icmp.type) return false;
  return icmp.code === undefined || facts.icmp.code === icmp.code;
}

function portRange(port: number | string, where: string): readonly [number, number] {
  if (typeof port === 'number') return [port, port];
  const match = /^(\d+)(?::(\d+))?$/.exec(port);
  if (match === null)
    throw new DataplaneError('UNSUPPORTED', `${where}: named port "${port}" is not modelled`);
  return [Number(match[1]), Number(match[2] ?? match[1])];
}

function address(text: string, where: string): IpAddress {
  const ip = parseIp(text);
  if (ip === undefined)
    throw new DataplaneError('INVALID_PACKET', `${where}: "${text}" is not an IP address`);
  return ip;
}

function network(text: string, where: string): IpNetwork {
  const net = parseNetwork(text.includes('/') ? text : `${text}/${text.includes(':') ? 128 : 32}`);
  if (net === undefined) throw new DataplaneError('INVALID_OBJECT', `${where}: "${text}" is not a CIDR`);
  return net;
}

function key(ip: IpAddress): string {
  return `${ip.family}:${ip.value}`;
}
