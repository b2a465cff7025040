import { hash } from 'node:crypto';
import {
  calicoPolicyName,
  DEFAULT_TIER,
  type GlobalPolicySpec,
  type Labels,
  MANAGED_LABELS,
  type Policy,
  remoteEndpointLabels as sharedRemoteEndpointLabels,
} from '@meshplane/policy';
import { canonicalJson, sha256Hex } from './canonical-json.js';
import type { CompilerEndpoint, CompilerTier, WireguardSettings } from './compiler.types.js';

export const CALICO_API_VERSION = 'projectcalico.org/v3';

export {
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  MANAGED_LABEL,
  MANAGED_LABELS,
  REMOTE_NAMESPACE_LABEL as NAMESPACE_LABEL,
} from '@meshplane/policy';

export type CalicoPolicyKind =
  | 'GlobalNetworkPolicy'
  | 'NetworkPolicy'
  | 'StagedGlobalNetworkPolicy'
  | 'StagedNetworkPolicy';

/**
 * Every kind a bundle may hold, in the order a bundle lists (and the agent applies) them: tiers
 * before the policies in them, network sets before the policies that select them; Meshplane's
 * `meshplane-compliance` tier and its policy are ordinary entries of `Tier` and
 * `GlobalNetworkPolicy`; the `default` FelixConfiguration carries the WireGuard settings; federated
 * EndpointSlices (`discovery.k8s.io/v1`) come with the network sets.
 */
export const KIND_ORDER = [
  'Tier',
  'FelixConfiguration',
  'GlobalNetworkSet',
  'NetworkSet',
  'EndpointSlice',
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
export type FelixConfigurationObject = CalicoObjectOf<'FelixConfiguration', WireguardSettings>;
export type CalicoObject = TierObject | NetworkSetObject | PolicyObject | FelixConfigurationObject;

export const DISCOVERY_API_VERSION = 'discovery.k8s.io/v1';

/** A Kubernetes `discovery.k8s.io/v1` EndpointSlice, as Meshplane writes it for federated services. */
export interface KubeEndpointSlice {
  readonly apiVersion: typeof DISCOVERY_API_VERSION;
  readonly kind: 'EndpointSlice';
  readonly metadata: CalicoMetadata & { readonly namespace: string };
  readonly addressType: 'IPv4' | 'IPv6';
  readonly endpoints: readonly KubeEndpoint[];
  readonly ports: readonly KubeEndpointPort[];
}

export interface KubeEndpoint {
  readonly addresses: readonly string[];
  readonly conditions: { readonly ready: boolean; readonly serving: boolean; readonly terminating: boolean };
  /** Only for endpoints of the cluster the slice is written to (a remote node name means nothing there). */
  readonly nodeName?: string;
}

export interface KubeEndpointPort {
  readonly name: string;
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
}

/** Everything a bundle may hold. */
export type BundleObject = CalicoObject | KubeEndpointSlice;

/**
 * An object with its sort key and the digest of its canonical JSON computed once, so that every
 * bundle holding it reuses them (the JSON itself is not kept: only bundle hashes need it).
 */
export interface EmittedObject {
  readonly object: BundleObject;
  /** Its place in {@link KIND_ORDER}. */
  readonly rank: number;
  /** `<rank>\0<namespace>\0<name>`: bundles list objects in this order. */
  readonly sortKey: string;
  /** sha256 of its canonical JSON: its 32 bytes, as 8 words in memory order (cheap to copy). */
  readonly digest: Uint32Array;
  /** The first byte of the digest (0–255), e.g. to spread objects over hash buckets. */
  readonly digestByte: number;
}

export function emit(object: BundleObject): EmittedObject {
  const rank = KIND_ORDER.indexOf(object.kind);
  const { namespace = '', name } = object.metadata;
  const digest = new Uint32Array(8);
  const bytes = new Uint8Array(digest.buffer);
  bytes.set(hash('sha256', canonicalJson(object), 'buffer'));
  return {
    object,
    rank,
    sortKey: objectSortKey(rank, namespace, name),
    digest,
    digestByte: bytes[0]!,
  };
}

export function objectSortKey(rank: number, namespace: string, name: string): string {
  return `${rank}\u0000${namespace}\u0000${name}`;
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

/** The labels of the network set standing for a remote pod (see `remoteEndpointLabels` in libs/policy). */
export function remoteEndpointLabels(endpoint: CompilerEndpoint, clusterName: string): Labels {
  return sharedRemoteEndpointLabels(endpoint.labels, clusterName, endpoint.namespace);
}

/** A stable, DNS-safe name per remote pod: `mp-` and 20 hex digits of a hash of cluster/namespace/pod. */
export function remoteEndpointSetName(
  endpoint: Pick<CompilerEndpoint, 'clusterId' | 'namespace' | 'name'>,
): string {
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

/**
 * Felix reads cluster-wide settings only from the FelixConfiguration named `default`, so that is
 * the one Meshplane patches (server-side apply, field manager `meshplane`: it owns only the
 * `wireguard*` fields it sends). It is deliberately NOT labelled `app.kubernetes.io/managed-by`:
 * the agent prunes only objects with that label, and must never delete the cluster's `default`
 * FelixConfiguration (the agent also refuses to, see agent/src/config-apply/managed-kinds.ts).
 */
export const FELIX_CONFIGURATION_NAME = 'default';
export const MANAGED_FIELDS_LABEL = 'meshplane.io/managed-fields';

export function felixConfigurationObject(settings: WireguardSettings): FelixConfigurationObject {
  return {
    apiVersion: CALICO_API_VERSION,
    kind: 'FelixConfiguration',
    metadata: { name: FELIX_CONFIGURATION_NAME, labels: { [MANAGED_FIELDS_LABEL]: 'wireguard' } },
    spec: settings,
  };
}
