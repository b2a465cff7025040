import {
  CLUSTER_LABEL,
  DEFAULT_TIER,
  type GlobalPolicySpec,
  type Labels,
  type Policy,
} from '@meshplane/policy';
import { canonicalJson, sha256Hex } from './canonical-json.js';
import type { CompilerEndpoint, CompilerTier } from './compiler.types.js';

export const CALICO_API_VERSION = 'projectcalico.org/v3';

/** The agent prunes only objects carrying this label (with this value). */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'meshplane';
export const MANAGED_LABEL = 'meshplane.io/managed';
/** On remote-endpoint network sets: the namespace the pod lives in, in its own cluster. */
export const NAMESPACE_LABEL = 'meshplane.io/namespace';

/** Labels on every object Meshplane writes into a cluster. */
export const MANAGED_LABELS: Readonly<Record<string, string>> = {
  [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
  [MANAGED_LABEL]: 'true',
};

export type CalicoPolicyKind =
  | 'GlobalNetworkPolicy'
  | 'NetworkPolicy'
  | 'StagedGlobalNetworkPolicy'
  | 'StagedNetworkPolicy';

/**
 * Every kind a bundle may hold, in the order a bundle lists (and the agent applies) them: tiers
 * before the policies in them, network sets before the policies that select them.
 * Extension point: compliance zones (a top-priority Tier and its policies) and `FelixConfiguration`
 * (WireGuard) will add their kinds here and their objects in `FederationCompiler.compileCluster`.
 */
export const KIND_ORDER = [
  'Tier',
  'GlobalNetworkSet',
  'NetworkSet',
  'GlobalNetworkPolicy',
  'NetworkPolicy',
  'StagedGlobalNetworkPolicy',
  'StagedNetworkPolicy',
] as const;

export type CalicoKind = (typeof KIND_ORDER)[number];

export interface CalicoMetadata {
  readonly name: string;
  readonly namespace?: string;
  readonly labels: Labels;
}

interface CalicoObjectOf<K extends CalicoKind, S> {
  readonly apiVersion: typeof CALICO_API_VERSION;
  readonly kind: K;
  readonly metadata: CalicoMetadata;
  readonly spec: S;
}

export interface TierSpec {
  readonly order?: number;
  readonly defaultAction: 'Deny' | 'Pass';
}

export interface NetworkSetSpec {
  readonly nets: readonly string[];
}

/** A policy spec as Calico receives it: Meshplane's `clusterSelector` and `staged` removed. */
export type CalicoPolicySpec = Omit<GlobalPolicySpec, 'clusterSelector' | 'staged'>;

export type TierObject = CalicoObjectOf<'Tier', TierSpec>;
export type NetworkSetObject = CalicoObjectOf<'GlobalNetworkSet' | 'NetworkSet', NetworkSetSpec>;
export type PolicyObject = CalicoObjectOf<CalicoPolicyKind, CalicoPolicySpec>;
export type CalicoObject = TierObject | NetworkSetObject | PolicyObject;

/** An object with its canonical JSON and sort key computed once, so bundles reuse them. */
export interface EmittedObject {
  readonly object: CalicoObject;
  readonly json: string;
  readonly sortKey: string;
}

export function emit(object: CalicoObject): EmittedObject {
  const rank = KIND_ORDER.indexOf(object.kind);
  const { namespace = '', name } = object.metadata;
  return { object, json: canonicalJson(object), sortKey: `${rank}\u0000${namespace}\u0000${name}` };
}

export function tierObject(tier: CompilerTier): TierObject {
  return {
    apiVersion: CALICO_API_VERSION,
    kind: 'Tier',
    metadata: { name: tier.name, labels: MANAGED_LABELS },
    spec: {
      ...(tier.order === null ? {} : { order: tier.order }),
      defaultAction: tier.defaultAction,
    },
  };
}

/**
 * Calico's naming rule: a policy in a tier other than `default` is named `<tier>.<name>`
 * (a stored name that already carries the prefix keeps it as is).
 */
export function calicoPolicyName(tier: string, name: string): string {
  if (tier === DEFAULT_TIER.name || name.startsWith(`${tier}.`)) return name;
  return `${tier}.${name}`;
}

export function policyTier(policy: Policy): string {
  return policy.spec.tier ?? DEFAULT_TIER.name;
}

function policyKind(global: boolean, staged: boolean): CalicoPolicyKind {
  if (global) return staged ? 'StagedGlobalNetworkPolicy' : 'GlobalNetworkPolicy';
  return staged ? 'StagedNetworkPolicy' : 'NetworkPolicy';
}

export function policyObject(policy: Policy): PolicyObject {
  const { clusterSelector: _clusterSelector, staged, ...spec } = policy.spec as GlobalPolicySpec;
  const global = policy.kind === 'GlobalNetworkPolicy';
  const kind = policyKind(global, staged === true);
  const name = calicoPolicyName(policyTier(policy), policy.metadata.name);
  const metadata: CalicoMetadata =
    policy.kind === 'NetworkPolicy'
      ? { name, namespace: policy.metadata.namespace, labels: MANAGED_LABELS }
      : { name, labels: MANAGED_LABELS };
  return { apiVersion: CALICO_API_VERSION, kind, metadata, spec };
}

/**
 * The labels of the network set standing for a remote pod: the pod's own labels, then the cluster
 * and namespace it lives in and Meshplane's management labels (which win over pod labels of the
 * same name, so a pod cannot pretend to live in another cluster). Rule selectors are matched against
 * exactly these labels, so what the compiler resolves is what Calico will match.
 */
export function remoteEndpointLabels(endpoint: CompilerEndpoint, clusterName: string): Labels {
  return {
    ...endpoint.labels,
    [CLUSTER_LABEL]: clusterName,
    [NAMESPACE_LABEL]: endpoint.namespace,
    ...MANAGED_LABELS,
  };
}

/** A stable, DNS-safe name per remote pod: `mp-` and 20 hex digits of a hash of cluster/namespace/pod. */
export function remoteEndpointSetName(endpoint: CompilerEndpoint): string {
  return `mp-${sha256Hex(`${endpoint.clusterId}/${endpoint.namespace}/${endpoint.name}`).slice(0, 20)}`;
}

/** Pod IPs as host networks (/32 or /128), sorted and without duplicates (`nets` is a set). */
export function hostNets(ips: readonly string[]): string[] {
  const nets = ips.map((ip) => (ip.includes('/') ? ip : `${ip}/${ip.includes(':') ? 128 : 32}`));
  return [...new Set(nets)].sort();
}

/**
 * The network set for a remote pod: a `GlobalNetworkSet` for global policies' selectors, or a
 * `NetworkSet` in the pod's namespace (the policy's namespace: namespaced rule selectors only see it).
 */
export function networkSetObject(
  scope: 'global' | 'namespaced',
  endpoint: CompilerEndpoint,
  labels: Labels,
): NetworkSetObject {
  const name = remoteEndpointSetName(endpoint);
  const spec = { nets: hostNets(endpoint.ips) };
  return scope === 'global'
    ? { apiVersion: CALICO_API_VERSION, kind: 'GlobalNetworkSet', metadata: { name, labels }, spec }
    : {
        apiVersion: CALICO_API_VERSION,
        kind: 'NetworkSet',
        metadata: { name, namespace: endpoint.namespace, labels },
        spec,
      };
}
