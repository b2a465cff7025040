import type { Labels } from '../selector/compile.js';

/** A Kubernetes namespace of the cluster. */
export interface DataplaneNamespace {
  readonly name: string;
  readonly labels?: Labels;
}

/** A Kubernetes ServiceAccount of the cluster. */
export interface DataplaneServiceAccount {
  readonly namespace: string;
  readonly name: string;
  readonly labels?: Labels;
}

/** A pod of the cluster, as the Kubernetes API holds it. */
export interface DataplanePod {
  readonly namespace: string;
  readonly name: string;
  readonly labels?: Labels;
  readonly ips: readonly string[];
  /** `spec.serviceAccountName`. */
  readonly serviceAccount?: string;
}

/**
 * A `projectcalico.org/v3` object exactly as it was applied to the cluster (what a bundle holds):
 * Tier, NetworkPolicy, GlobalNetworkPolicy, their Staged kinds, NetworkSet, GlobalNetworkSet,
 * FelixConfiguration. Objects of other API groups (EndpointSlices) are ignored.
 */
export interface CalicoResource {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Labels;
  };
  readonly spec?: unknown;
}

/** Everything one cluster holds that Felix's policy decisions read, and nothing of other clusters. */
export interface ClusterDataplaneState {
  readonly namespaces: readonly DataplaneNamespace[];
  readonly serviceAccounts?: readonly DataplaneServiceAccount[];
  readonly pods: readonly DataplanePod[];
  readonly objects: readonly CalicoResource[];
}

/** A packet as Felix sees it on a pod's interface: addresses, protocol and ports. */
export interface Packet {
  readonly source: string;
  readonly destination: string;
  /** A Calico protocol name (`TCP`, `UDP`, …) or an IP protocol number. */
  readonly protocol: string | number;
  readonly sourcePort?: number;
  readonly destinationPort?: number;
  readonly icmp?: { readonly type: number; readonly code?: number };
}

/** The decision of one pod's policy chain for one direction. */
export interface DataplaneSide {
  /** `namespace/name` of the pod whose chain decided. */
  readonly pod: string;
  readonly action: 'Allow' | 'Deny';
  /** The policy whose rule decided (`<namespace>/<name>` or `<name>`), or the tier whose default did. */
  readonly decidedBy: string;
}

export interface DataplaneVerdict {
  /** True when neither local pod's chain drops the packet. */
  readonly allowed: boolean;
  /** The source pod's egress chain, when the source address is a pod of this cluster. */
  readonly egress?: DataplaneSide;
  /** The destination pod's ingress chain, when the destination address is a pod of this cluster. */
  readonly ingress?: DataplaneSide;
}
