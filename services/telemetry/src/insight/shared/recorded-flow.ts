import type { PolicySet } from '@meshplane/events';
import type { EnrichedEnd } from '../../flows/flow-enricher.js';
import { type FlowRowRecord, storedEnd } from '../../flows/flow-row.js';

/** One end of a stored flow, as the insight computations read it (the port is the flow's). */
export type RecordedEnd = Omit<EnrichedEnd, 'port'>;

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

/**
 * A stored row as a recorded flow. The reporting cluster's name comes from `clusterNames` (the
 * tenant's clusters); a cluster no longer registered is named by the end it enriched as local.
 */
export function recordedFlowOf(row: FlowRowRecord, clusterNames: ReadonlyMap<string, string>): RecordedFlow {
  const source = storedEnd(row, 'src');
  const destination = storedEnd(row, 'dst');
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

/** The tenant's cluster names by id, as {@link recordedFlowOf} takes them. */
export function clusterNames(set: PolicySet): Map<string, string> {
  return new Map(set.clusters.map((cluster) => [cluster.id, cluster.name]));
}
