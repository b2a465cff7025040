import type { FlowModel } from '../flows/flow.model.js';
import { type FlowRowRecord, flowModelOf } from '../flows/flows.service.js';

/** One end of a stored flow, as the insight computations read it. */
export interface RecordedEnd {
  /** Cluster name; null for networks outside the tenant's clusters. */
  cluster: string | null;
  namespace: string;
  workload: string;
  name: string;
  type: string;
  labels: Record<string, string>;
  ip: string | null;
  serviceAccount: string | null;
}

/** A stored flow with the name of the cluster that reported it. */
export interface RecordedFlow {
  clusterId: string;
  seq: number;
  /** Name of the reporting cluster. */
  reporter: string;
  action: string;
  protocol: string;
  /** Destination port; null when not reported. */
  port: number | null;
  source: RecordedEnd;
  destination: RecordedEnd;
  service: { namespace: string; name: string } | null;
}

function end(row: FlowRowRecord, prefix: 'src' | 'dst'): RecordedEnd {
  const column = (key: string) => row[`${prefix}_${key}`];
  return {
    cluster: (column('cluster') as string | null) ?? null,
    namespace: column('namespace') as string,
    workload: column('workload') as string,
    name: column('name') as string,
    type: column('type') as string,
    labels: column('labels') as Record<string, string>,
    ip: (column('ip') as string | null) ?? null,
    serviceAccount: (column('service_account') as string | null) ?? null,
  };
}

/**
 * A stored row as a recorded flow. The reporting cluster's name comes from `clusterNames` (the
 * tenant's clusters); a cluster no longer registered is named by the end it enriched as local.
 */
export function recordedFlowOf(row: FlowRowRecord, clusterNames: ReadonlyMap<string, string>): RecordedFlow {
  const source = end(row, 'src');
  const destination = end(row, 'dst');
  const local = row.reporter === 'dst' ? destination : source;
  return {
    clusterId: row.cluster_id,
    seq: Number(row.seq),
    reporter:
      clusterNames.get(row.cluster_id) ?? local.cluster ?? source.cluster ?? destination.cluster ?? '',
    action: row.action,
    protocol: row.protocol,
    port: (row.dst_port as number | null) ?? null,
    source,
    destination,
    service:
      row.dst_service_name === null || row.dst_service_name === undefined
        ? null
        : { namespace: row.dst_service_namespace as string, name: row.dst_service_name as string },
  };
}

export { type FlowModel, type FlowRowRecord, flowModelOf };
