import { apiPolicyName } from '@meshplane/policy';
import type { FlowActionValue, FlowEndpointModel, FlowModel } from './flow.model.js';
import type { EnrichedEnd, StoredPolicyHit } from './flow-enricher.js';

/** A row of `telemetry.flows` as `SELECT *` returns it. */
export interface FlowRowRecord {
  cluster_id: string;
  seq: string;
  start_time: Date;
  end_time: Date;
  reporter: string;
  action: string;
  protocol: string;
  [column: string]: unknown;
}

const labelList = (labels: Record<string, string>) =>
  Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => ({ key, value }));

/** One end of a stored row, as the worker enriched it. */
export function storedEnd(row: FlowRowRecord, prefix: 'src' | 'dst'): EnrichedEnd {
  const column = (key: string) => row[`${prefix}_${key}`];
  return {
    cluster: (column('cluster') as string | null) ?? null,
    namespace: column('namespace') as string,
    workload: column('workload') as string,
    name: column('name') as string,
    type: column('type') as string,
    labels: column('labels') as Record<string, string>,
    ip: (column('ip') as string | null) ?? null,
    port: (column('port') as number | null) ?? null,
    serviceAccount: (column('service_account') as string | null) ?? null,
  };
}

function end(row: FlowRowRecord, prefix: 'src' | 'dst'): FlowEndpointModel {
  const stored = storedEnd(row, prefix);
  return { ...stored, labels: labelList(stored.labels) };
}

/** A stored row as the GraphQL `Flow`. */
export function flowModelOf(row: FlowRowRecord): FlowModel {
  return {
    clusterId: row.cluster_id,
    seq: Number(row.seq),
    startTime: row.start_time,
    endTime: row.end_time,
    reporter: row.reporter,
    action: row.action as FlowActionValue,
    protocol: row.protocol,
    source: end(row, 'src'),
    destination: end(row, 'dst'),
    service:
      row.dst_service_name === null
        ? null
        : {
            namespace: row.dst_service_namespace as string,
            name: row.dst_service_name as string,
            portName: (row.dst_service_port_name as string | null) ?? null,
            port: (row.dst_service_port as number | null) ?? null,
          },
    policies: (row.policies as StoredPolicyHit[]).map((hit) => ({
      tier: hit.tier,
      name: hit.calicoName === undefined ? apiPolicyName(hit.tier, hit.name) : hit.name,
      calicoName: hit.calicoName ?? hit.name,
      namespace: hit.namespace || null,
      kind: hit.kind ?? null,
      action: hit.action as FlowActionValue,
      ruleIndex: hit.ruleIndex ?? null,
      staged: hit.staged ?? false,
    })),
    bytesIn: Number(row.bytes_in),
    bytesOut: Number(row.bytes_out),
    packetsIn: Number(row.packets_in),
    packetsOut: Number(row.packets_out),
    connectionsStarted: row.connections_started as number,
    connectionsCompleted: row.connections_completed as number,
    connectionsLive: (row.connections_live as number | null) ?? null,
  };
}
