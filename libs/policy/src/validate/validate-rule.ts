import { parsePort } from '../model/port.js';
import { PORT_PROTOCOLS, type Protocol, protocolNumber } from '../model/protocol.js';
import {
  type EntityRule,
  type IcmpMatch,
  IP_VERSIONS,
  type IpVersion,
  RULE_ACTIONS,
  type Rule,
} from '../model/rule.js';
import { type IpNetwork, parseNetwork } from '../net/ip.js';
import { checkFields } from './validate-fields.js';
import { checkSelector } from './validate-selector.js';
import type { IssueCollector } from './validation-issue.js';

const MAX_NETS = 256;
const MAX_PORTS = 50;
const MAX_HTTP_ITEMS = 20;
const ICMP_PROTOCOLS = new Set([1, 58]);

/** What a rule's checks need to know of its policy. */
export interface RuleContext {
  /** A GlobalNetworkPolicy's rule (a `services` match must then name its namespace). */
  readonly global?: boolean;
}

/** Validates one rule against Calico's constraints; `path` is e.g. `spec.ingress[3]`. */
export function validateRule(
  issues: IssueCollector,
  path: string,
  rule: Rule,
  direction: 'ingress' | 'egress',
  context: RuleContext = {},
): void {
  if (!checkFields(issues, path, rule, 'rule')) return;
  if (rule.metadata !== undefined) checkFields(issues, `${path}.metadata`, rule.metadata, 'ruleMetadata');
  if (!RULE_ACTIONS.includes(rule.action)) {
    issues.add(`${path}.action`, `must be one of ${RULE_ACTIONS.join(', ')}`);
  }
  const protocol = checkProtocol(issues, `${path}.protocol`, rule.protocol);
  const notProtocol = checkProtocol(issues, `${path}.notProtocol`, rule.notProtocol);
  checkIpVersion(issues, path, rule, { protocol, notProtocol });

  for (const field of ['icmp', 'notICMP'] as const) {
    const icmp = rule[field];
    if (icmp === undefined) continue;
    if (!checkFields(issues, `${path}.${field}`, icmp, 'icmp')) continue;
    checkIcmp(issues, `${path}.${field}`, icmp);
    if (protocol === undefined || !ICMP_PROTOCOLS.has(protocol)) {
      issues.add(`${path}.${field}`, 'ICMP matches need protocol ICMP or ICMPv6');
    }
  }

  for (const side of ['source', 'destination'] as const) {
    const entity = rule[side];
    if (entity !== undefined && checkFields(issues, `${path}.${side}`, entity, 'entityRule'))
      checkEntityRule(issues, `${path}.${side}`, entity, side, direction, protocol, context);
  }

  if (rule.http !== undefined && checkFields(issues, `${path}.http`, rule.http, 'http')) {
    if (rule.action !== 'Allow') issues.add(`${path}.http`, 'an HTTP match is only valid on Allow rules');
    // validator.go ruleUsesAppLayerPolicy: application layer policy only on ingress.
    if (direction === 'egress') issues.add(`${path}.http`, 'an HTTP match is not allowed in egress rules');
    if (protocol !== undefined && protocol !== 6)
      issues.add(`${path}.http`, 'an HTTP match needs protocol TCP or none');
    const { methods = [], paths = [] } = rule.http;
    if (methods.length > MAX_HTTP_ITEMS)
      issues.add(`${path}.http.methods`, `at most ${MAX_HTTP_ITEMS} methods`);
    if (paths.length > MAX_HTTP_ITEMS) issues.add(`${path}.http.paths`, `at most ${MAX_HTTP_ITEMS} paths`);
    paths.forEach((entry, i) => {
      if (!checkFields(issues, `${path}.http.paths[${i}]`, entry, 'httpPath')) return;
      if ((entry.exact === undefined) === (entry.prefix === undefined)) {
        issues.add(`${path}.http.paths[${i}]`, 'must give exactly one of exact or prefix');
      }
    });
  }
}

/** ICMP and ICMPv6 by protocol number, with the IP family each belongs to. */
const ICMP_FAMILY = new Map<number, { name: string; family: IpVersion }>([
  [1, { name: 'ICMP', family: 4 }],
  [58, { name: 'ICMPv6', family: 6 }],
]);

/**
 * Calico's `ipVersion` checks (the Rule CEL rules in policy_common.go and validateRule in
 * validator.go): it is 4 or 6; ICMP needs 4 and ICMPv6 needs 6 (also as notProtocol); every CIDR
 * of the rule is of that version; and, with or without it, a rule cannot mix IPv4 and IPv6 CIDRs.
 */
function checkIpVersion(
  issues: IssueCollector,
  path: string,
  rule: Rule,
  protocols: { protocol: number | undefined; notProtocol: number | undefined },
): void {
  const version = rule.ipVersion;
  if (version !== undefined && !IP_VERSIONS.includes(version)) {
    issues.add(`${path}.ipVersion`, 'must be 4 or 6');
    return;
  }
  if (version !== undefined) {
    for (const field of ['protocol', 'notProtocol'] as const) {
      const icmp = ICMP_FAMILY.get(protocols[field] ?? -1);
      if (icmp !== undefined && icmp.family !== version)
        issues.add(`${path}.ipVersion`, `protocol ${icmp.name} requires ipVersion ${icmp.family}`);
    }
  }
  const seen = new Set<IpVersion>();
  for (const side of ['source', 'destination'] as const) {
    for (const field of ['nets', 'notNets'] as const) {
      const nets = rule[side]?.[field];
      if (!Array.isArray(nets)) continue;
      const families = new Set<IpVersion>();
      for (const net of nets) {
        const parsed = typeof net === 'string' ? parseNetwork(net) : undefined;
        if (parsed !== undefined) families.add(parsed.family);
      }
      const fieldPath = `${path}.${side}.${field}`;
      const other = version === 4 ? 6 : 4;
      if (version !== undefined && families.has(other))
        issues.add(fieldPath, `has IPv${other} CIDRs but the rule's ipVersion is ${version}`);
      if (families.size > 1 || [...families].some((family) => seen.size > 0 && !seen.has(family)))
        issues.add(fieldPath, 'the rule would contain both IPv4 and IPv6 CIDRs');
      for (const family of families) seen.add(family);
    }
  }
}

/** Returns the protocol number when valid. */
function checkProtocol(
  issues: IssueCollector,
  path: string,
  protocol: Protocol | undefined,
): number | undefined {
  if (protocol === undefined) return undefined;
  const number = protocolNumber(protocol);
  if (number === undefined) {
    issues.add(path, `"${protocol}" is not TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite or a number 1-255`);
  }
  return number;
}

function checkIcmp(issues: IssueCollector, path: string, icmp: IcmpMatch): void {
  const isInt = (n: number | undefined, max: number) =>
    n === undefined || (Number.isInteger(n) && n >= 0 && n <= max);
  if (!isInt(icmp.type, 254)) issues.add(`${path}.type`, 'must be an integer 0-254');
  if (!isInt(icmp.code, 255)) issues.add(`${path}.code`, 'must be an integer 0-255');
  if (icmp.code !== undefined && icmp.type === undefined)
    issues.add(`${path}.code`, 'an ICMP code needs a type');
}

function checkEntityRule(
  issues: IssueCollector,
  path: string,
  entity: EntityRule,
  side: 'source' | 'destination',
  direction: 'ingress' | 'egress',
  protocol: number | undefined,
  context: RuleContext,
): void {
  checkSelector(issues, `${path}.selector`, entity.selector);
  checkSelector(issues, `${path}.notSelector`, entity.notSelector);
  checkSelector(issues, `${path}.namespaceSelector`, entity.namespaceSelector, { allowGlobal: true });
  if (entity.serviceAccounts !== undefined)
    checkFields(issues, `${path}.serviceAccounts`, entity.serviceAccounts, 'serviceAccounts');
  checkSelector(issues, `${path}.serviceAccounts.selector`, entity.serviceAccounts?.selector);
  entity.serviceAccounts?.names?.forEach((name, i) => {
    if (typeof name !== 'string' || name === '')
      issues.add(`${path}.serviceAccounts.names[${i}]`, 'must be a non-empty name');
  });

  for (const field of ['nets', 'notNets'] as const) {
    const nets = entity[field];
    if (nets === undefined) continue;
    if (nets.length > MAX_NETS) issues.add(`${path}.${field}`, `at most ${MAX_NETS} networks`);
    nets.forEach((net, i) => {
      const parsed: IpNetwork | undefined = typeof net === 'string' ? parseNetwork(net) : undefined;
      if (parsed === undefined) issues.add(`${path}.${field}[${i}]`, `"${net}" is not an IPv4 or IPv6 CIDR`);
    });
  }

  for (const field of ['ports', 'notPorts'] as const) {
    const ports = entity[field];
    if (ports === undefined || ports.length === 0) continue;
    if (protocol === undefined || !PORT_PROTOCOLS.has(protocol)) {
      issues.add(`${path}.${field}`, 'ports can only be used when the rule sets protocol TCP, UDP or SCTP');
    }
    if (ports.length > MAX_PORTS) issues.add(`${path}.${field}`, `at most ${MAX_PORTS} ports`);
    ports.forEach((port, i) => {
      const parsed = parsePort(port);
      if ('error' in parsed) issues.add(`${path}.${field}[${i}]`, parsed.error);
    });
  }

  if (entity.services !== undefined) checkServices(issues, path, entity, side, direction, context);
}

/**
 * Calico (the EntityRule and Rule CEL rules; validateNetworkPolicySpec and
 * validateGlobalNetworkPolicySpec in validator.go): `services` only in an egress destination or an
 * ingress source, naming its namespace in a GlobalNetworkPolicy; it excludes every other way of
 * naming the peer, and ports except on ingress sources.
 */
function checkServices(
  issues: IssueCollector,
  path: string,
  entity: EntityRule,
  side: 'source' | 'destination',
  direction: 'ingress' | 'egress',
  context: RuleContext,
): void {
  if (!checkFields(issues, `${path}.services`, entity.services, 'services')) return;
  if (!entity.services?.name) issues.add(`${path}.services.name`, 'a service name is required');
  if (side === 'source' && direction === 'egress')
    issues.add(`${path}.services`, 'services are not allowed in an egress rule source');
  if (side === 'destination' && direction === 'ingress')
    issues.add(`${path}.services`, 'services are not allowed in an ingress rule destination');
  if (context.global && !entity.services?.namespace) {
    issues.add(
      `${path}.services.namespace`,
      "a GlobalNetworkPolicy must name the service's namespace (there is no policy namespace to default to)",
    );
  }
  const exclusive = [
    'selector',
    'notSelector',
    'namespaceSelector',
    'nets',
    'notNets',
    'serviceAccounts',
  ] as const;
  for (const field of exclusive) {
    const value = entity[field];
    const present = Array.isArray(value) ? value.length > 0 : value !== undefined && value !== '';
    if (present) issues.add(`${path}.${field}`, `cannot be combined with services in the same entity rule`);
  }
  const hasPorts = (entity.ports?.length ?? 0) > 0 || (entity.notPorts?.length ?? 0) > 0;
  if (hasPorts && (side === 'destination' || direction === 'egress')) {
    issues.add(
      `${path}.services`,
      'ports and notPorts can only be combined with services in the source of an ingress rule',
    );
  }
}
