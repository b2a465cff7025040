import { endAddress, type FlowItem } from '../../components/flow-table';

/**
 * The flows shown, as CSV (RFC 4180: comma-separated, CRLF line ends, a field quoted when it holds
 * a comma, a quote or a line break, quotes doubled), built in the browser from the rows fetched:
 * the API has no CSV of flows. A field starting with `=`, `+`, `-` or `@` is prefixed with `'` so a
 * spreadsheet does not run it as a formula (labels and names come from the clusters).
 */

export const FLOW_CSV_COLUMNS = [
  'start_time',
  'end_time',
  'reported_by',
  'seq',
  'reporter',
  'action',
  'protocol',
  'source_cluster',
  'source_namespace',
  'source_workload',
  'source_name',
  'source_type',
  'source_address',
  'source_service_account',
  'source_labels',
  'destination_cluster',
  'destination_namespace',
  'destination_workload',
  'destination_name',
  'destination_type',
  'destination_address',
  'destination_service_account',
  'destination_labels',
  'service',
  'bytes_in',
  'bytes_out',
  'packets_in',
  'packets_out',
  'connections_started',
  'policies',
] as const;

function field(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const labels = (list: readonly { key: string; value: string }[]) =>
  list.map((label) => `${label.key}=${label.value}`).join(';');

export function flowsCsv(flows: readonly FlowItem[], clusterNames: ReadonlyMap<string, string>): string {
  const rows = flows.map((flow) => [
    flow.startTime,
    flow.endTime,
    clusterNames.get(flow.clusterId) ?? flow.clusterId,
    flow.seq,
    flow.reporter,
    flow.action.toLowerCase(),
    flow.protocol,
    ...(['source', 'destination'] as const).flatMap((side) => {
      const end = flow[side];
      return [
        end.cluster,
        end.namespace,
        end.workload,
        end.name,
        end.type,
        endAddress(end),
        end.serviceAccount,
        labels(end.labels),
      ];
    }),
    flow.service ? `${flow.service.namespace}/${flow.service.name}` : null,
    flow.bytesIn,
    flow.bytesOut,
    flow.packetsIn,
    flow.packetsOut,
    flow.connectionsStarted,
    flow.policies
      .map(
        (hit) =>
          `${hit.tier}/${hit.namespace ? `${hit.namespace}/` : ''}${hit.name}:${hit.action.toLowerCase()}`,
      )
      .join(' > '),
  ]);
  return `${[[...FLOW_CSV_COLUMNS], ...rows].map((row) => row.map(field).join(',')).join('\r\n')}\r\n`;
}
