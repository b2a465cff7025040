import {
  apiPolicyName,
  CLUSTER_LABEL,
  MANAGED_BY_LABEL,
  MANAGED_LABEL,
  policyReference,
  REMOTE_NAMESPACE_LABEL,
} from '@meshplane/policy';
import type { FlowEndpoint, FlowRecord, PolicyHit } from '@meshplane/protocol';
import type { PeersByIp, RemotePeer } from './peer-directory.js';

/** Labels Meshplane adds to the remote-endpoint sets it writes; not the workload's own. */
const MESHPLANE_LABELS = [CLUSTER_LABEL, REMOTE_NAMESPACE_LABEL, MANAGED_LABEL, MANAGED_BY_LABEL];
const POD_TEMPLATE_HASH = 'pod-template-hash';

/** One end of a flow as stored: where it lives and what it is. */
export interface EnrichedEnd {
  /** Cluster name; null for networks outside every cluster of the tenant. */
  cluster: string | null;
  namespace: string;
  /** Calico's aggregation: the pods' owner (ReplicaSet hash and pod suffix removed). */
  workload: string;
  /** The name the record carried (aggregated pod name, network set, `pub`/`pvt`). */
  name: string;
  type: string;
  labels: Record<string, string>;
  ip: string | null;
  port: number | null;
  serviceAccount: string | null;
}

/**
 * A policy hit as stored: `name` is the policy's name, as the policies API gives it, and
 * `calicoName` the name Calico reported (see libs/policy `policy-name.ts`). Rows stored before
 * `calicoName` existed hold Calico's name in `name`.
 */
export interface StoredPolicyHit extends PolicyHit {
  calicoName?: string;
}

/** A flow row of `telemetry.flows`. */
export interface FlowRow {
  tenantId: string;
  clusterId: string;
  seq: number;
  startTime: number;
  endTime: number;
  reporter: string;
  action: string;
  protocol: string;
  source: EnrichedEnd;
  destination: EnrichedEnd;
  service: { namespace: string; name: string; portName: string | null; port: number | null } | null;
  policies: StoredPolicyHit[];
  /** The policies that acted, by their names (`name` or `namespace/name`), for the rollups. */
  policyRefs: string[];
  /** Every name they go by, their names then Calico's: what the flows filter matches. */
  policyNames: string[];
  bytesIn: number;
  bytesOut: number;
  packetsIn: number;
  packetsOut: number;
  connectionsStarted: number;
  connectionsCompleted: number;
  connectionsLive: number | null;
}

export interface EnrichContext {
  tenantId: string;
  clusterId: string;
  /** The reporting cluster's name. */
  clusterName: string;
  /** Pods of the tenant's clusters holding the addresses of peers reported as bare networks. */
  peers?: PeersByIp;
}

/** Endpoint types that are only an address to the reporting cluster. */
const NETWORK_TYPES: ReadonlySet<string> = new Set(['net', 'pvt', 'pub']);

/** True for the network set Meshplane installed for a pod of another cluster (or a bare network). */
function mayBeRemotePod(end: FlowEndpoint): boolean {
  return NETWORK_TYPES.has(end.type) || (end.type === 'ns' && end.labels[CLUSTER_LABEL] !== undefined);
}

/**
 * The addresses of a batch's ends that may be pods of another of the tenant's clusters (to
 * resolve before enriching): bare networks, and the network sets Meshplane installed for remote
 * pods (which carry the pod's labels but not its name, so only the address gives its workload).
 */
export function remotePeerIps(records: readonly FlowRecord[]): string[] {
  const ips = new Set<string>();
  for (const { source, destination } of records) {
    if (source.ip !== undefined && mayBeRemotePod(source)) ips.add(source.ip);
    if (destination.ip !== undefined && mayBeRemotePod(destination)) ips.add(destination.ip);
  }
  return [...ips];
}

/**
 * Enriches both ends of a flow with cluster, namespace, workload and labels, as Calico's flow
 * aggregation names them:
 *
 * - a workload or host endpoint of the reporting cluster: that cluster, its namespace, and the
 *   workload its pods share (`frontend-7d9f8b6c5d-x2k9p` or Calico's `frontend-7d9f8b6c5d-*` →
 *   `frontend` when the `pod-template-hash` label confirms the ReplicaSet);
 * - a peer reported as a bare network (`pvt`, `pub`, `net`) whose address exactly one pod of
 *   another of the tenant's clusters holds (`context.peers`), or seen through the network set
 *   Meshplane installed for a pod of another cluster whose address exactly one pod of that
 *   cluster holds: that pod's cluster, namespace, name, workload and labels — so the peer is the
 *   same workload its own cluster's flows name (an address several clusters reuse stays
 *   unresolved);
 * - otherwise a peer seen through such a network set (Goldmane's records carry no address): the
 *   cluster and namespace from the set's `meshplane.io/cluster` and `meshplane.io/namespace`
 *   labels, the workload from its `app.kubernetes.io/name` or `app` label, the pod's own labels
 *   without Meshplane's;
 * - any other network: no cluster, the record's name (`pub`, `pvt`, a network set).
 *
 * Pure: no I/O (the worker resolves addresses before), so the worker's cost is the database write.
 */
export function enrichFlow(record: FlowRecord, context: EnrichContext): FlowRow {
  const policies = record.policies.map(
    (hit): StoredPolicyHit => ({ ...hit, name: apiPolicyName(hit.tier, hit.name), calicoName: hit.name }),
  );
  const refs = new Set(policies.map((hit) => policyReference(hit.name, hit.namespace)));
  const names = new Set(refs);
  for (const hit of policies) names.add(policyReference(hit.calicoName!, hit.namespace));
  return {
    tenantId: context.tenantId,
    clusterId: context.clusterId,
    seq: record.seq,
    startTime: record.startTime,
    endTime: record.endTime,
    reporter: record.reporter,
    action: record.action,
    protocol: record.protocol.toLowerCase(),
    source: enrichEnd(record.source, context.clusterName, context.peers),
    destination: enrichEnd(record.destination, context.clusterName, context.peers),
    service: record.destService
      ? {
          namespace: record.destService.namespace,
          name: record.destService.name,
          portName: record.destService.portName ?? null,
          port: record.destService.port ?? null,
        }
      : null,
    policies,
    policyRefs: [...refs],
    policyNames: [...names],
    bytesIn: record.bytesIn,
    bytesOut: record.bytesOut,
    packetsIn: record.packetsIn,
    packetsOut: record.packetsOut,
    connectionsStarted: record.connectionsStarted,
    connectionsCompleted: record.connectionsCompleted,
    connectionsLive: record.connectionsLive ?? null,
  };
}

export function enrichEnd(end: FlowEndpoint, localCluster: string, peers?: PeersByIp): EnrichedEnd {
  const base = {
    name: end.name,
    type: end.type,
    ip: end.ip ?? null,
    port: end.port ?? null,
    serviceAccount: end.serviceAccount ?? null,
  };
  const remoteCluster = end.labels[CLUSTER_LABEL];
  const remoteSet = end.type === 'ns' && remoteCluster !== undefined && remoteCluster !== localCluster;
  if (peers !== undefined && end.ip !== undefined && (remoteSet || NETWORK_TYPES.has(end.type))) {
    const remote =
      peers
        .get(end.ip)
        ?.filter((peer) =>
          remoteSet ? peer.clusterName === remoteCluster : peer.clusterName !== localCluster,
        ) ?? [];
    if (remote.length === 1) {
      const [pod] = remote as [RemotePeer];
      return {
        ...base,
        name: pod.name,
        serviceAccount: pod.serviceAccount ?? base.serviceAccount,
        cluster: pod.clusterName,
        namespace: pod.namespace,
        workload: workloadName(pod.name, pod.labels[POD_TEMPLATE_HASH]),
        labels: pod.labels,
      };
    }
  }
  if (remoteSet) {
    const labels = withoutMeshplaneLabels(end.labels);
    return {
      ...base,
      cluster: remoteCluster,
      namespace: end.labels[REMOTE_NAMESPACE_LABEL] ?? end.namespace,
      workload: workloadName(
        labels['app.kubernetes.io/name'] ?? labels.app ?? end.name,
        labels[POD_TEMPLATE_HASH],
      ),
      labels,
    };
  }
  const local = end.type === 'wep' || end.type === 'hep';
  return {
    ...base,
    cluster: local || (end.type === 'ns' && remoteCluster === localCluster) ? localCluster : null,
    namespace: end.namespace,
    workload: end.type === 'wep' ? workloadName(end.name, end.labels[POD_TEMPLATE_HASH]) : end.name,
    labels: end.labels,
  };
}

/**
 * The workload of a pod name: Calico aggregates pods of one ReplicaSet as `<rs>-*`; the
 * ReplicaSet is `<deployment>-<pod-template-hash>`. Only a suffix the hash label confirms is
 * removed, so names that merely look generated stay as they are.
 */
export function workloadName(name: string, templateHash: string | undefined): string {
  let base = name.endsWith('-*') ? name.slice(0, -2) : name;
  if (templateHash !== undefined && templateHash.length > 0) {
    const withPod = base.lastIndexOf(`-${templateHash}-`);
    if (withPod > 0) base = base.slice(0, withPod);
    else if (base.endsWith(`-${templateHash}`)) base = base.slice(0, -templateHash.length - 1);
  }
  return base;
}

function withoutMeshplaneLabels(labels: Record<string, string>): Record<string, string> {
  const own: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) if (!MESHPLANE_LABELS.includes(key)) own[key] = value;
  return own;
}
