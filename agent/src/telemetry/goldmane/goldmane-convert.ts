import {
  type FlowAction,
  type FlowEndpoint,
  type FlowEndpointType,
  FlowRecordSchema,
  MAX_POLICIES_PER_FLOW,
  type PolicyHit,
} from '@meshplane/protocol';
import type { FlowDraft } from '../flow-buffer.js';
import type { GoldmaneFlow, GoldmanePolicyHit } from './goldmane-descriptor.js';

export type GoldmaneConversion =
  | { ok: true; flow: FlowDraft; policiesDropped: number }
  | { ok: false; reason: string };

const ACTIONS: Record<string, FlowAction> = { Allow: 'allow', Deny: 'deny', Pass: 'pass' };
const REPORTERS: Record<string, FlowDraft['reporter']> = { Src: 'src', Dst: 'dst' };
const ENDPOINT_TYPES: Record<string, FlowEndpointType> = {
  WorkloadEndpoint: 'wep',
  HostEndpoint: 'hep',
  NetworkSet: 'ns',
  Network: 'net',
};
/** Goldmane names a network Calico does not know `pub` or `pvt`; the record says which as its type. */
const NETWORK_NAMES = new Set<FlowEndpointType>(['pub', 'pvt']);
/** Goldmane leaves a profile hit's tier empty; Calico calls that pseudo-tier `__PROFILE__`. */
const PROFILE_TIER = '__PROFILE__';

/**
 * Turns one Goldmane flow into a flow record draft (FlowRecord without `seq`), or says why it
 * cannot: a missing key, an enum value this agent does not know (unspecified included), or a
 * field the protocol schema refuses (an overlong name, a malformed label, an unsafe integer...).
 *
 * - Endpoint types: WorkloadEndpoint `wep`, HostEndpoint `hep`, NetworkSet `ns`, Network named
 *   `pub`/`pvt` becomes that type, any other Network `net`.
 * - Labels: Goldmane's `key=value` strings become a map (a string without `=` is a key with an
 *   empty value).
 * - Policy trace: enforced hits, then pending hits marked `staged: true`, in one list capped at
 *   `MAX_POLICIES_PER_FLOW` (the rest dropped and counted). An end-of-tier hit has no name in
 *   Goldmane; it is named after its tier, as the simulated source does.
 * - A destination port or service port of 0 (unset in proto3) is left out.
 */
export function goldmaneFlowToDraft(flow: GoldmaneFlow): GoldmaneConversion {
  const key = flow.Key;
  if (key === null) return { ok: false, reason: 'flow has no Key' };
  const sourceType = endpointType(key.source_type, key.source_name);
  if (sourceType === undefined) return invalidEnum('source_type', key.source_type);
  const destType = endpointType(key.dest_type, key.dest_name);
  if (destType === undefined) return invalidEnum('dest_type', key.dest_type);
  const reporter = REPORTERS[String(key.reporter)];
  if (reporter === undefined) return invalidEnum('reporter', key.reporter);
  const action = ACTIONS[String(key.action)];
  if (action === undefined) return invalidEnum('action', key.action);

  const hits: PolicyHit[] = [];
  for (const [list, staged] of [
    [key.policies?.enforced_policies ?? [], false],
    [key.policies?.pending_policies ?? [], true],
  ] as const) {
    for (const hit of list) {
      const converted = policyHit(hit, staged);
      if (typeof converted === 'string') return { ok: false, reason: converted };
      hits.push(converted);
    }
  }
  const policies = hits.slice(0, MAX_POLICIES_PER_FLOW);

  const source: FlowEndpoint = {
    name: key.source_name,
    namespace: key.source_namespace,
    type: sourceType,
    labels: parseLabels(flow.source_labels),
  };
  const destination: FlowEndpoint = {
    name: key.dest_name,
    namespace: key.dest_namespace,
    type: destType,
    labels: parseLabels(flow.dest_labels),
  };
  if (key.dest_port !== 0) destination.port = key.dest_port;

  const draft: FlowDraft = {
    startTime: flow.start_time,
    endTime: flow.end_time,
    source,
    destination,
    protocol: key.proto.toLowerCase(),
    reporter,
    action,
    policies,
    bytesIn: flow.bytes_in,
    bytesOut: flow.bytes_out,
    packetsIn: flow.packets_in,
    packetsOut: flow.packets_out,
    connectionsStarted: flow.num_connections_started,
    connectionsCompleted: flow.num_connections_completed,
    connectionsLive: flow.num_connections_live,
  };
  if (key.dest_service_name !== '') {
    const service: NonNullable<FlowDraft['destService']> = {
      namespace: key.dest_service_namespace,
      name: key.dest_service_name,
    };
    if (key.dest_service_port_name !== '') service.portName = key.dest_service_port_name;
    if (key.dest_service_port !== 0) service.port = key.dest_service_port;
    draft.destService = service;
  }

  // The buffer numbers records; any positive seq stands in for the check.
  const checked = FlowRecordSchema.safeParse({ seq: 1, ...draft });
  if (!checked.success) {
    const issue = checked.error.issues[0];
    return { ok: false, reason: `${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, flow: draft, policiesDropped: hits.length - policies.length };
}

function endpointType(type: string | number, name: string): FlowEndpointType | undefined {
  const mapped = ENDPOINT_TYPES[String(type)];
  if (mapped === 'net' && NETWORK_NAMES.has(name as FlowEndpointType)) return name as FlowEndpointType;
  return mapped;
}

function policyHit(hit: GoldmanePolicyHit, staged: boolean): PolicyHit | string {
  const action = ACTIONS[String(hit.action)];
  if (action === undefined) return `policy hit action: unknown value ${String(hit.action)}`;
  const kind = typeof hit.kind === 'string' && hit.kind !== 'KindUnspecified' ? hit.kind : undefined;
  const tier = hit.tier === '' && kind === 'Profile' ? PROFILE_TIER : hit.tier;
  const converted: PolicyHit = {
    tier,
    name: hit.name === '' && kind === 'EndOfTier' ? tier : hit.name,
    action,
    policyIndex: hit.policy_index,
    ruleIndex: hit.rule_index,
  };
  if (hit.namespace !== '') converted.namespace = hit.namespace;
  if (kind !== undefined) converted.kind = kind;
  if (staged) converted.staged = true;
  return converted;
}

function parseLabels(labels: readonly string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const label of labels) {
    const equals = label.indexOf('=');
    if (equals < 0) map[label] = '';
    else map[label.slice(0, equals)] = label.slice(equals + 1);
  }
  return map;
}

function invalidEnum(field: string, value: string | number): GoldmaneConversion {
  return { ok: false, reason: `${field}: unknown value ${String(value)}` };
}

/**
 * Identity of a flow within its window, for recognising one Goldmane sends again after a
 * reconnect: the window and the whole flow key (Goldmane's own flow id restarts with Goldmane,
 * so it cannot be trusted across connections).
 */
export function flowIdentity(flow: GoldmaneFlow): string {
  return JSON.stringify([flow.start_time, flow.end_time, flow.Key]);
}
