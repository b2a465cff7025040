import type { HttpEndpoint, HttpRequestRecord } from '@meshplane/protocol';
import { workloadName } from '../flows/flow-enricher.js';
import type { PeersByIp, RemotePeer } from '../flows/peer-directory.js';

/** One end of an HTTP request as stored: the pod holding its address, else the bare address. */
export interface HttpEnd {
  /** Cluster name; null when no pod of the tenant's clusters (or several) holds the address. */
  cluster: string | null;
  namespace: string;
  /** The pod's workload, as flows name it; the address when unresolved. */
  workload: string;
  /** The pod's name; the address when unresolved. */
  name: string;
  labels: Record<string, string>;
  ip: string;
  port: number;
}

/** A row of `telemetry.http_requests`. */
export interface HttpRequestRow {
  tenantId: string;
  clusterId: string;
  seq: number;
  /** Epoch milliseconds. */
  startTime: number;
  method: string;
  authority: string;
  path: string;
  responseCode: number;
  durationMs: number;
  requestBytes: number;
  responseBytes: number;
  protocol: string;
  requestId: string | null;
  upstreamCluster: string | null;
  source: HttpEnd;
  destination: HttpEnd;
}

export interface HttpEnrichContext {
  tenantId: string;
  clusterId: string;
  /** The reporting cluster's name. */
  clusterName: string;
  /** Pods of the tenant's clusters holding the batch's addresses (`PeerDirectory`). */
  peers: PeersByIp;
}

const POD_TEMPLATE_HASH = 'pod-template-hash';

/** Every address a batch names, both ends: what to resolve before enriching. */
export function httpRecordIps(records: readonly HttpRequestRecord[]): string[] {
  const ips = new Set<string>();
  for (const { source, destination } of records) {
    ips.add(source.ip);
    ips.add(destination.ip);
  }
  return [...ips];
}

/**
 * Joins an end of an HTTP request to its L4 identity, as flows name it: the pod of the reporting
 * cluster holding the address, else the one pod of another of the tenant's clusters holding it
 * (a peer across clusters), with its namespace, workload (`workloadName`) and labels. An address
 * no pod holds, or several pods of other clusters hold (reused pod CIDRs), stays a bare address.
 */
export function enrichHttpEnd(end: HttpEndpoint, localCluster: string, peers: PeersByIp): HttpEnd {
  const pods = peers.get(end.ip) ?? [];
  const local = pods.filter((pod) => pod.clusterName === localCluster);
  const pod: RemotePeer | undefined =
    local.length === 1 ? local[0] : local.length === 0 && pods.length === 1 ? pods[0] : undefined;
  if (pod === undefined)
    return {
      cluster: null,
      namespace: '',
      workload: end.ip,
      name: end.ip,
      labels: {},
      ip: end.ip,
      port: end.port,
    };
  return {
    cluster: pod.clusterName,
    namespace: pod.namespace,
    workload: workloadName(pod.name, pod.labels[POD_TEMPLATE_HASH]),
    name: pod.name,
    labels: pod.labels,
    ip: end.ip,
    port: end.port,
  };
}

/** An HTTP record as a row: both ends joined to their pods. Pure (addresses resolved before). */
export function enrichHttpRequest(record: HttpRequestRecord, context: HttpEnrichContext): HttpRequestRow {
  return {
    tenantId: context.tenantId,
    clusterId: context.clusterId,
    seq: record.seq,
    startTime: record.startTime,
    method: record.method,
    authority: record.authority,
    path: record.path,
    responseCode: record.responseCode,
    durationMs: record.durationMs,
    requestBytes: record.requestBytes,
    responseBytes: record.responseBytes,
    protocol: record.protocol,
    requestId: record.requestId ?? null,
    upstreamCluster: record.upstreamCluster ?? null,
    source: enrichHttpEnd(record.source, context.clusterName, context.peers),
    destination: enrichHttpEnd(record.destination, context.clusterName, context.peers),
  };
}
