import type { Labels, Policy } from '@meshplane/policy';
import type { EndpointSliceObject, ServiceExportObject, ServiceObject } from '@meshplane/protocol';
import type { BundleObject } from './calico-objects.js';

/** A tenant tier as the policies service stores it (Calico's `default` tier included). */
export interface CompilerTier {
  readonly name: string;
  /** Lower first; null = last. */
  readonly order: number | null;
  readonly defaultAction: 'Deny' | 'Pass';
}

/** A registered cluster. Its selector labels are `labels` plus `meshplane.io/cluster: <name>`. */
export interface CompilerCluster {
  readonly id: string;
  readonly name: string;
  readonly labels: Labels;
}

/** A pod from a cluster's inventory. */
export interface CompilerEndpoint {
  readonly clusterId: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  readonly ips: readonly string[];
  readonly serviceAccount?: string | null;
}

/** Identifies a pod across the tenant's clusters. */
export type EndpointRef = Pick<CompilerEndpoint, 'clusterId' | 'namespace' | 'name'>;

/** Everything one tenant's bundles are compiled from. */
export interface CompilerInput {
  readonly tiers: readonly CompilerTier[];
  /** Stored policies: Calico's shape plus Meshplane's `clusterSelector` and `staged`. */
  readonly policies: readonly Policy[];
  readonly clusters: readonly CompilerCluster[];
  readonly endpoints: readonly CompilerEndpoint[];
  /**
   * Each cluster's namespaces: a remote pod is published in a cluster as a NetworkSet in its own
   * namespace where the cluster has that namespace, else as a GlobalNetworkSet. Undefined: every
   * namespace is taken to exist in every cluster.
   */
  readonly namespaces?: readonly { readonly clusterId: string; readonly name: string }[];
  /** Compliance zones: compiled into the `meshplane-compliance` tier (see `compliance.ts`). */
  readonly zones?: readonly CompilerZone[];
  /** WireGuard settings: compiled into each cluster's `default` FelixConfiguration. */
  readonly encryption?: CompilerEncryption;
  /** Services, EndpointSlices and ServiceExports: compiled into federated EndpointSlices. */
  readonly federation?: FederationInventory;
}

/** A compliance zone (see `forbiddenPeers` in `compliance.ts` for the rule it enforces). */
export interface CompilerZone {
  /** A DNS label, unique in the tenant. */
  readonly name: string;
  /** Selects the member clusters, over their labels plus `meshplane.io/cluster: <name>`. */
  readonly clusterSelector: string;
  /** Names of the other zones whose clusters this zone's clusters may exchange traffic with. */
  readonly allowedZones: readonly string[];
}

/** The `wireguard*` fields of Calico's FelixConfiguration that Meshplane sets; absent = not set. */
export interface WireguardSettings {
  readonly wireguardEnabled?: boolean;
  readonly wireguardEnabledV6?: boolean;
  readonly wireguardHostEncryptionEnabled?: boolean;
  readonly wireguardListeningPort?: number;
  readonly wireguardListeningPortV6?: number;
  readonly wireguardMTU?: number;
  readonly wireguardMTUV6?: number;
  /** A Go duration (`25s`); `0` disables keep-alives. */
  readonly wireguardKeepAlive?: string;
  readonly wireguardRoutingRulePriority?: number;
  readonly wireguardThreadingEnabled?: boolean;
}

/** Mesh-wide WireGuard settings and per-cluster overrides (field by field). */
export interface CompilerEncryption {
  readonly meshWide?: WireguardSettings;
  /** By cluster id. */
  readonly clusters?: Readonly<Record<string, WireguardSettings>>;
}

/** An inventory object and the cluster it was reported by. */
export interface Located<T> {
  readonly clusterId: string;
  readonly object: T;
}

/** The inventory federated services are computed from. */
export interface FederationInventory {
  readonly services: readonly Located<ServiceObject>[];
  readonly endpointSlices: readonly Located<EndpointSliceObject>[];
  readonly serviceExports: readonly Located<ServiceExportObject>[];
}

/** The desired Calico configuration of one cluster. */
export interface ClusterBundle {
  readonly clusterId: string;
  /**
   * Sorted: kind (tiers, FelixConfiguration, network sets, EndpointSlices, then policies),
   * namespace, name.
   */
  readonly objects: readonly BundleObject[];
  /**
   * sha256 (hex) combined from the sha256 of each object's canonical JSON, in bundle order within
   * hash buckets (see `bundleHash` in `cluster-objects.ts`): equal objects, equal hashes — also
   * across clusters, so stored contents are shared; any other bundle, another hash.
   */
  readonly hash: string;
}

/** Inventory changes for {@link FederationCompiler.applyEndpointChanges}. */
export interface EndpointChanges {
  /** New or changed pods (replaced whole). */
  readonly upserted?: readonly CompilerEndpoint[];
  readonly removed?: readonly EndpointRef[];
}
