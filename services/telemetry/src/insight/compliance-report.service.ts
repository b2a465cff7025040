import type { PolicySetZone } from '@meshplane/events';
import { isId, TenantDb } from '@meshplane/platform';
import { Injectable } from '@nestjs/common';
import type { FlowModel } from '../flows/flow.model.js';
import { flowModelOf } from '../flows/flows.service.js';
import { TelemetrySettingsService } from '../settings/telemetry-settings.service.js';
import { evaluatedPolicySet, FlowWorld, traceLines } from './flow-world.js';
import { insightError } from './insight.errors.js';
import type { ComplianceReport, ComplianceViolation } from './insight.model.js';
import { PolicySetClient } from './policy-set.client.js';
import { recordedFlowOf } from './recorded-flow.js';
import { clusterNames, evaluateRecorded, readFlows } from './what-if.service.js';
import { checkedWindow } from './window.js';

/** Most violations listed (and written to the CSV) per report. */
export const MAX_EVIDENCE = 1_000;

/** SQL condition: the flow's two clusters are one of the pairs in $4/$5 (either direction). */
export const FORBIDDEN_PAIR_SQL = `(LEAST("src_cluster", "dst_cluster"), GREATEST("src_cluster", "dst_cluster"))
  IN (SELECT a, b FROM unnest($4::text[], $5::text[]) AS p(a, b))`;

export function pairParameters(zone: Pick<PolicySetZone, 'forbidden'>): [string[], string[]] {
  return [zone.forbidden.map(([a]) => a), zone.forbidden.map(([, b]) => b)];
}

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

/**
 * A compliance zone's report: the recorded flows between two clusters the zone forbids to talk
 * (the pairs the policies service computes with the compiler's own rule), allowed ones as
 * violations with their policy trace as evidence and whether the current policy set (compliance
 * tier included, evaluated by `libs/policy`) now denies them, denied ones counted as blocked.
 */
@Injectable()
export class ComplianceReportService {
  constructor(
    private readonly db: TenantDb,
    private readonly settings: TelemetrySettingsService,
    private readonly policySets: PolicySetClient,
  ) {}

  async report(
    tenantId: string,
    zoneId: string,
    input: { from?: Date | null; to?: Date | null },
    now = new Date(),
  ): Promise<ComplianceReport> {
    if (!isId(zoneId)) throw insightError('ZONE_NOT_FOUND', { field: 'zoneId' });
    const set = await this.policySets.policySet(tenantId);
    const zone = set.zones.find((z) => z.id === zoneId);
    if (zone === undefined) throw insightError('ZONE_NOT_FOUND', { field: 'zoneId' });
    const { retentionDays } = await this.settings.get(tenantId);
    const window = checkedWindow(input, retentionDays, now);
    const pairs = pairParameters(zone);
    const [counts] = await this.db.tenant(tenantId, (m) =>
      m.query(
        `SELECT count(*) FILTER (WHERE "action" = 'allow')::int AS violations,
                count(*) FILTER (WHERE "action" = 'deny')::int AS blocked
         FROM "telemetry"."flows"
         WHERE "tenant_id" = $1 AND "start_time" >= $2 AND "start_time" < $3 AND ${FORBIDDEN_PAIR_SQL}`,
        [tenantId, window.from, window.to, ...pairs],
      ),
    );
    const rows = (
      await readFlows(
        this.db,
        tenantId,
        window,
        MAX_EVIDENCE,
        `"action" = 'allow' AND ${FORBIDDEN_PAIR_SQL}`,
        pairs,
        'DESC',
      )
    ).slice(0, MAX_EVIDENCE);
    const names = clusterNames(set);
    const world = new FlowWorld(rows.map((row) => recordedFlowOf(row, names)));
    const verdicts = evaluateRecorded(evaluatedPolicySet(set), world);
    const evidence: ComplianceViolation[] = rows.map((row, index) => {
      const verdict = verdicts[index];
      return {
        flow: flowModelOf(row),
        deniedNow: verdict !== undefined && !verdict.allowed,
        currentTrace: verdict === undefined ? [] : traceLines(verdict),
      };
    });
    return {
      zone: { id: zone.id, name: zone.name, members: zone.members, forbiddenPairs: zone.forbidden },
      from: window.from,
      to: window.to,
      violations: counts.violations,
      blocked: counts.blocked,
      evidence,
      csv: violationsCsv(evidence),
    };
  }
}
