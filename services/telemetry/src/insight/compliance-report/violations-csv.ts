import type { FlowModel } from '../../flows/flow.model.js';
import type { ComplianceViolation } from './compliance-report.model.js';

const CSV_COLUMNS = [
  'start_time',
  'end_time',
  'reporting_cluster_id',
  'seq',
  'reporter',
  'action',
  'protocol',
  'src_cluster',
  'src_namespace',
  'src_workload',
  'src_ip',
  'dst_cluster',
  'dst_namespace',
  'dst_workload',
  'dst_ip',
  'dst_port',
  'bytes',
  'policies',
  'denied_now',
];

/** One CSV field (RFC 4180), with a leading quote on text a spreadsheet would run as a formula. */
export function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function violationsCsv(violations: readonly ComplianceViolation[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const { flow, deniedNow } of violations) {
    lines.push(
      [
        flow.startTime.toISOString(),
        flow.endTime.toISOString(),
        flow.clusterId,
        flow.seq,
        flow.reporter,
        flow.action,
        flow.protocol,
        flow.source.cluster,
        flow.source.namespace,
        flow.source.workload,
        flow.source.ip,
        flow.destination.cluster,
        flow.destination.namespace,
        flow.destination.workload,
        flow.destination.ip,
        flow.destination.port,
        flow.bytesIn + flow.bytesOut,
        policyList(flow),
        deniedNow,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

function policyList(flow: FlowModel): string {
  return flow.policies
    .map((hit) => `${hit.tier}/${hit.namespace ? `${hit.namespace}/` : ''}${hit.name}:${hit.action}`)
    .join(' ');
}
