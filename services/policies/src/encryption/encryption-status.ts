import { type NodeObject, WIREGUARD_PUBLIC_KEY_ANNOTATION } from '@meshplane/protocol';
import type { CompilerCluster, CompilerEncryption, Located } from '../compiler/compiler.types.js';
import { effectiveWireguard } from '../compiler/encryption.js';

/** Why a cluster's traffic cannot be encrypted. */
export type EncryptionBlocker = 'WIREGUARD_DISABLED' | 'NO_NODES_REPORTED' | 'NODES_WITHOUT_PUBLIC_KEY';

/** At most this many node names are listed per cluster (the count is always exact). */
export const MAX_LISTED_NODES = 20;

export interface ClusterEncryptionState {
  readonly clusterId: string;
  readonly clusterName: string;
  /** Effective `wireguardEnabled` (mesh-wide, overridden by the cluster's own setting; Calico's default is off). */
  readonly wireguardEnabled: boolean;
  readonly nodeCount: number;
  readonly nodesWithPublicKey: number;
  /** Names of nodes without a reported WireGuard public key (sorted, at most {@link MAX_LISTED_NODES}). */
  readonly nodesWithoutPublicKey: readonly string[];
  /** Empty when the cluster's side of every pair can be encrypted. */
  readonly blockers: readonly EncryptionBlocker[];
}

export interface PairBlocker {
  readonly clusterId: string;
  readonly reason: EncryptionBlocker;
}

export interface ClusterPairEncryption {
  readonly clusterA: string;
  readonly clusterB: string;
  readonly encrypted: boolean;
  /** Every reason, on either side, why the pair's traffic is not encrypted. */
  readonly blockers: readonly PairBlocker[];
}

export interface EncryptionStatus {
  readonly clusters: readonly ClusterEncryptionState[];
  readonly pairs: readonly ClusterPairEncryption[];
}

/**
 * Whether each pair of the tenant's clusters can carry WireGuard-encrypted (IPv4) traffic, from the
 * settings and the nodes the agents report: both clusters need `wireguardEnabled` in effect, at
 * least one node reported, and Calico's public key annotation
 * (`projectcalico.org/WireguardPublicKey`) on every node (a node without one sends in clear text).
 */
export function encryptionStatus(
  clusters: readonly CompilerCluster[],
  nodes: readonly Located<NodeObject>[],
  encryption: CompilerEncryption | undefined,
): EncryptionStatus {
  const byCluster = new Map<string, NodeObject[]>();
  for (const { clusterId, object } of nodes)
    byCluster.set(clusterId, [...(byCluster.get(clusterId) ?? []), object]);
  const states = [...clusters]
    .sort((a, b) => compare(a.name, b.name))
    .map((cluster): ClusterEncryptionState => {
      const clusterNodes = byCluster.get(cluster.id) ?? [];
      const missing = clusterNodes
        .filter((node) => !(node.annotations[WIREGUARD_PUBLIC_KEY_ANNOTATION] ?? '').trim())
        .map((node) => node.name)
        .sort(compare);
      const enabled = effectiveWireguard(encryption, cluster.id)?.wireguardEnabled === true;
      const blockers: EncryptionBlocker[] = [];
      if (!enabled) blockers.push('WIREGUARD_DISABLED');
      if (clusterNodes.length === 0) blockers.push('NO_NODES_REPORTED');
      if (missing.length > 0) blockers.push('NODES_WITHOUT_PUBLIC_KEY');
      return {
        clusterId: cluster.id,
        clusterName: cluster.name,
        wireguardEnabled: enabled,
        nodeCount: clusterNodes.length,
        nodesWithPublicKey: clusterNodes.length - missing.length,
        nodesWithoutPublicKey: missing.slice(0, MAX_LISTED_NODES),
        blockers,
      };
    });
  const pairs: ClusterPairEncryption[] = [];
  for (let i = 0; i < states.length; i += 1) {
    for (let j = i + 1; j < states.length; j += 1) {
      const [a, b] = [states[i]!, states[j]!];
      const blockers = [a, b].flatMap((side) =>
        side.blockers.map((reason) => ({ clusterId: side.clusterId, reason })),
      );
      pairs.push({
        clusterA: a.clusterId,
        clusterB: b.clusterId,
        encrypted: blockers.length === 0,
        blockers,
      });
    }
  }
  return { clusters: states, pairs };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
