import { isId, TenantDb } from '@meshplane/platform';
import { Injectable } from '@nestjs/common';
import { flowModelOf } from '../../flows/flow-row.js';
import { TelemetrySettingsService } from '../../settings/telemetry-settings.service.js';
import {
  clusterNamespaces,
  evaluatedPolicySet,
  evaluateRecorded,
  FlowWorld,
  traceLines,
  tracePolicyNames,
} from '../shared/flow-world.js';
import { FORBIDDEN_PAIR_SQL, pairParameters } from '../shared/forbidden-pairs.js';
import { insightError } from '../shared/insight.errors.js';
import { PolicySetClient } from '../shared/policy-set.client.js';
import { readFlows } from '../shared/read-flows.js';
import { clusterNames, recordedFlowOf } from '../shared/recorded-flow.js';
import { checkedWindow } from '../shared/window.js';
import type { ComplianceReport, ComplianceViolation } from './compliance-report.model.js';
import { violationsCsv } from './violations-csv.js';

/** Most violations listed (and written to the CSV) per report. */
export const MAX_EVIDENCE = 1_000;

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
    const world = new FlowWorld(
      rows.map((row) => recordedFlowOf(row, names)),
      clusterNamespaces(set),
    );
    const verdicts = evaluateRecorded(evaluatedPolicySet(set), world);
    const policyNames = tracePolicyNames(set);
    const evidence: ComplianceViolation[] = rows.map((row, index) => {
      const verdict = verdicts[index];
      return {
        flow: flowModelOf(row),
        deniedNow: verdict !== undefined && !verdict.allowed,
        currentTrace: verdict === undefined ? [] : traceLines(verdict, policyNames),
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
