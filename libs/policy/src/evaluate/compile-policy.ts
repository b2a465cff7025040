import type { Endpoint, ServiceMembership } from '../model/endpoint.js';
import type { Flow } from '../model/flow.js';
import {
  effectivePolicyTypes,
  type Policy,
  type PolicyType,
  policyKey,
  policyNamespace,
} from '../model/policy.js';
import { type ParsedPort, parsePort } from '../model/port.js';
import { protocolNumber } from '../model/protocol.js';
import type {
  EntityRule,
  HttpMatch,
  IcmpMatch,
  IpVersion,
  Rule,
  RuleAction,
  ServiceMatch,
} from '../model/rule.js';
import { type IpNetwork, networkContains, parseNetwork } from '../net/ip.js';
import * as ast from '../selector/ast.js';
import { compileSelector, type LabelMatcher, type Labels } from '../selector/compile.js';
import { parseSelector } from '../selector/parser.js';
import { mapSelector } from '../selector/selector.js';
import { NAMESPACED_KEY, type PeerView, serviceAccountLabels } from './peer.js';

/** A flow reduced to what rules look at, with the protocol as a number. */
export interface FlowFacts {
  readonly flow: Flow;
  readonly protocol: number;
  /** The flow's IP family; undefined when neither end has an address (see the evaluator). */
  readonly family: IpVersion | undefined;
}

/** Both ends as seen by the endpoint whose policies are being evaluated. */
export interface FlowEnds {
  readonly source: PeerView;
  readonly destination: PeerView;
}

type PeerMatcher = (peer: PeerView, port: number | undefined, facts: FlowFacts) => boolean;

export interface CompiledRule {
  readonly index: number;
  readonly action: RuleAction;
  readonly matches: (ends: FlowEnds, facts: FlowFacts) => boolean;
}

export interface CompiledPolicy {
  readonly key: string;
  readonly policy: Policy;
  readonly tier: string;
  readonly order: number | undefined;
  readonly staged: boolean;
  readonly types: ReadonlySet<PolicyType>;
  /** Whether the policy selects this endpoint (cluster, namespace, selectors); `cluster` is its label view. */
  readonly selects: (endpoint: Endpoint, labels: Labels, namespaceLabels: Labels, cluster: Labels) => boolean;
  readonly ingress: readonly CompiledRule[];
  readonly egress: readonly CompiledRule[];
}

/** Compiles selectors once per distinct text. */
export class SelectorCache {
  private readonly cache = new Map<string, LabelMatcher>();

  get(text: string): LabelMatcher {
    let matcher = this.cache.get(text);
    if (matcher === undefined) {
      matcher = compileSelector(parseSelector(text));
      this.cache.set(text, matcher);
    }
    return matcher;
  }
}

const always = () => true;

/** Compiles a (validated) policy into closures. */
export function compilePolicy(policy: Policy, selectors: SelectorCache): CompiledPolicy {
  const { spec } = policy;
  const namespace = policyNamespace(policy);
  const selector = selectors.get(spec.selector ?? '');
  const serviceAccounts = spec.serviceAccountSelector ? selectors.get(spec.serviceAccountSelector) : always;
  const clusters = spec.clusterSelector ? selectors.get(spec.clusterSelector) : always;
  const namespaces =
    policy.kind === 'GlobalNetworkPolicy' && policy.spec.namespaceSelector
      ? selectors.get(policy.spec.namespaceSelector)
      : always;
  return {
    key: policyKey(policy),
    policy,
    tier: spec.tier ?? 'default',
    order: spec.order,
    staged: spec.staged === true,
    types: new Set(effectivePolicyTypes(spec)),
    selects: (endpoint, labels, namespaceLabels, cluster) =>
      (namespace === undefined || endpoint.namespace === namespace) &&
      clusters(cluster) &&
      selector(labels) &&
      namespaces(namespaceLabels) &&
      serviceAccounts(serviceAccountLabels(endpoint)),
    ingress: (spec.ingress ?? []).map((rule, index) => compileRule(rule, index, namespace, selectors)),
    egress: (spec.egress ?? []).map((rule, index) => compileRule(rule, index, namespace, selectors)),
  };
}

function compileRule(
  rule: Rule,
  index: number,
  namespace: string | undefined,
  selectors: SelectorCache,
): CompiledRule {
  const checks: Array<(ends: FlowEnds, facts: FlowFacts) => boolean> = [];
  const families = ruleFamilies(rule);
  if (families.size < 2) {
    checks.push((_, facts) => facts.family !== undefined && families.has(facts.family));
  }
  if (rule.protocol !== undefined) {
    const protocol = protocolNumber(rule.protocol);
    checks.push((_, facts) => facts.protocol === protocol);
  }
  if (rule.notProtocol !== undefined) {
    const protocol = protocolNumber(rule.notProtocol);
    checks.push((_, facts) => facts.protocol !== protocol);
  }
  if (rule.icmp !== undefined) {
    const icmp = rule.icmp;
    checks.push((_, facts) => icmpMatches(icmp, facts.flow));
  }
  if (rule.notICMP !== undefined) {
    const icmp = rule.notICMP;
    checks.push((_, facts) => !icmpMatches(icmp, facts.flow));
  }
  if (rule.http !== undefined) {
    const http = rule.http;
    checks.push((_, facts) => httpMatches(http, facts.flow));
  }
  if (rule.source !== undefined) {
    const source = compileEntityRule(rule.source, 'source', namespace, selectors);
    checks.push((ends, facts) => source(ends.source, facts.flow.sourcePort, facts));
  }
  if (rule.destination !== undefined) {
    const destination = compileEntityRule(rule.destination, 'destination', namespace, selectors);
    checks.push((ends, facts) => destination(ends.destination, facts.flow.destinationPort, facts));
  }
  return {
    index,
    action: rule.action,
    matches: (ends, facts) => checks.every((check) => check(ends, facts)),
  };
}

/**
 * The IP families Felix renders the rule for (felix/rules/policy.go, FilterRuleToIPVersion): only
 * its `ipVersion` when set, and only families of which each non-empty nets/notNets list has a
 * CIDR (a rule with only IPv4 CIDRs is absent from the IPv6 tables, even if the CIDRs are in
 * notNets). A rule restricted to one family matches only flows known to be of it.
 */
function ruleFamilies(rule: Rule): ReadonlySet<IpVersion> {
  const families = new Set<IpVersion>(rule.ipVersion === undefined ? [4, 6] : [rule.ipVersion]);
  for (const entity of [rule.source, rule.destination]) {
    for (const nets of [entity?.nets, entity?.notNets]) {
      if (nets === undefined || nets.length === 0) continue;
      const listed = new Set(nets.map((net) => parseNetwork(net)!.family));
      for (const family of families) if (!listed.has(family)) families.delete(family);
    }
  }
  return families;
}

function icmpMatches(icmp: IcmpMatch, flow: Flow): boolean {
  if (flow.icmp === undefined) return false;
  if (icmp.type !== undefined && flow.icmp.type !== icmp.type) return false;
  return icmp.code === undefined || flow.icmp.code === icmp.code;
}

function httpMatches(http: HttpMatch, flow: Flow): boolean {
  if (flow.http === undefined) return false;
  const { method, path } = flow.http;
  if (
    http.methods?.length &&
    (method === undefined || !http.methods.some((m) => m.toUpperCase() === method.toUpperCase()))
  ) {
    return false;
  }
  if (http.paths?.length) {
    if (path === undefined) return false;
    return http.paths.some((p) =>
      p.exact !== undefined ? path === p.exact : path.startsWith(p.prefix ?? ''),
    );
  }
  return true;
}

/**
 * An entity rule as a predicate over the peer. The positive selector follows Calico's
 * `getEndpointSelector`: the namespace restriction (namespaceSelector, else the policy's own
 * namespace) joins the selector and service-account match as soon as any of selector,
 * notSelector or namespaceSelector is used; notSelector itself is not namespace-restricted.
 */
function compileEntityRule(
  entity: EntityRule,
  side: 'source' | 'destination',
  namespace: string | undefined,
  selectors: SelectorCache,
): PeerMatcher {
  const checks: PeerMatcher[] = [];
  const nets = parseNets(entity.nets);
  if (nets !== undefined)
    checks.push((peer) => peer.ip !== undefined && nets.some((net) => networkContains(net, peer.ip!)));
  const notNets = parseNets(entity.notNets);
  if (notNets !== undefined) {
    checks.push((peer) => peer.ip === undefined || !notNets.some((net) => networkContains(net, peer.ip!)));
  }
  const positive = compileEntitySelector(entity, namespace, selectors);
  // Felix matches selectors by IP set: the peer matches when any endpoint or network set holding
  // its address matches, and a notSelector only when none does.
  if (positive !== undefined)
    checks.push((peer) => matchedAs(peer).some((view) => view.labels !== undefined && positive(view)));
  if (entity.notSelector) {
    const notSelector = selectors.get(entity.notSelector);
    checks.push((peer) =>
      matchedAs(peer).every((view) => view.labels === undefined || !notSelector(view.labels)),
    );
  }
  if (entity.services !== undefined) checks.push(compileServices(entity.services, side, namespace));
  const ports = entity.ports?.length ? entity.ports.map(parsePort) : undefined;
  if (ports !== undefined) {
    checks.push(
      (peer, port, facts) => port !== undefined && ports.some((p) => portMatches(p, peer, port, facts)),
    );
  }
  const notPorts = entity.notPorts?.length ? entity.notPorts.map(parsePort) : undefined;
  if (notPorts !== undefined) {
    checks.push(
      (peer, port, facts) => port === undefined || !notPorts.some((p) => portMatches(p, peer, port, facts)),
    );
  }
  return (peer, port, facts) => checks.every((check) => check(peer, port, facts));
}

/**
 * Felix's `services` match (felix/calc/rule_scanner.go, felix/serviceindex/serviceindex.go): a
 * destination service is an IP set of (address, port, protocol) for each address and each port
 * of the Service's EndpointSlices (protocol TCP unless UDP or SCTP; a slice port without a number
 * adds nothing), so only traffic to one of those ports with that protocol matches; a source
 * service is an IP set of the addresses alone, on any port.
 */
function compileServices(
  services: ServiceMatch,
  side: 'source' | 'destination',
  namespace: string | undefined,
): PeerMatcher {
  const { name } = services;
  const serviceNamespace = services.namespace || namespace;
  const named = (s: ServiceMembership) =>
    s.name === name && (serviceNamespace === undefined || s.namespace === serviceNamespace);
  if (side === 'source') return (peer) => peer.endpoint?.services?.some(named) ?? false;
  return (peer, port, facts) =>
    port !== undefined &&
    (peer.endpoint?.services?.some(
      (s) =>
        named(s) &&
        (s.ports ?? []).some(
          (p) => p.port === port && protocolNumber(p.protocol ?? 'TCP') === facts.protocol,
        ),
    ) ??
      false);
}

function compileEntitySelector(
  entity: EntityRule,
  namespace: string | undefined,
  selectors: SelectorCache,
): ((peer: PeerView) => boolean) | undefined {
  let namespaceMatch: ((peer: PeerView) => boolean) | undefined;
  if (entity.namespaceSelector) {
    const node = mapSelector(parseSelector(entity.namespaceSelector), (n) =>
      n.kind === 'all' ? ast.has(NAMESPACED_KEY) : n.kind === 'global' ? ast.not(ast.has(NAMESPACED_KEY)) : n,
    );
    const matcher = compileSelector(node);
    namespaceMatch = (peer) => matcher(peer.namespaceView);
  } else if (namespace !== undefined) {
    namespaceMatch = (peer) => peer.namespace === namespace;
  }

  const parts: Array<(peer: PeerView) => boolean> = [];
  const accounts = entity.serviceAccounts;
  if (accounts?.names?.length) {
    const names = new Set(accounts.names);
    parts.push((peer) => peer.serviceAccountName !== undefined && names.has(peer.serviceAccountName));
  }
  if (accounts?.selector) {
    const matcher = selectors.get(accounts.selector);
    // Calico matches it against labels inherited from the account's profile: a peer without an
    // account (a network set) has none, so a selector that needs no label matches it too.
    parts.push((peer) => matcher(peer.serviceAccountLabels));
  }
  if (entity.selector) {
    const matcher = selectors.get(entity.selector);
    parts.push((peer) => matcher(peer.labels!));
  }
  if (namespaceMatch !== undefined && (parts.length > 0 || entity.notSelector || entity.namespaceSelector)) {
    parts.unshift(namespaceMatch);
  }
  return parts.length === 0 ? undefined : (peer) => parts.every((part) => part(peer));
}

function matchedAs(peer: PeerView): readonly PeerView[] {
  return peer.alsoMatchedAs === undefined ? [peer] : [peer, ...peer.alsoMatchedAs];
}

function parseNets(nets: readonly string[] | undefined): IpNetwork[] | undefined {
  if (nets === undefined || nets.length === 0) return undefined;
  return nets.map((net) => parseNetwork(net)!);
}

function portMatches(
  port: ParsedPort | { error: string },
  peer: PeerView,
  value: number,
  facts: FlowFacts,
): boolean {
  if ('error' in port) return false;
  if (port.kind === 'range') return value >= port.min && value <= port.max;
  return (
    peer.endpoint?.namedPorts?.some(
      (named) =>
        named.name === port.name && named.port === value && protocolNumber(named.protocol) === facts.protocol,
    ) ?? false
  );
}
