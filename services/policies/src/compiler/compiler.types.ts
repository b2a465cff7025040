import type { Labels, Policy } from '@meshplane/policy';
import type { CalicoObject } from './calico-objects.js';

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
}

/** The desired Calico configuration of one cluster. */
export interface ClusterBundle {
  readonly clusterId: string;
  /** Sorted: kind (tiers first, then network sets, then policies), namespace, name. */
  readonly objects: readonly CalicoObject[];
  /** sha256 (hex) of the canonical JSON of `{ clusterId, objects }`: equal bundles, equal hashes. */
  readonly hash: string;
}

/** Inventory changes for {@link FederationCompiler.applyEndpointChanges}. */
export interface EndpointChanges {
  /** New or changed pods (replaced whole). */
  readonly upserted?: readonly CompilerEndpoint[];
  readonly removed?: readonly EndpointRef[];
}
