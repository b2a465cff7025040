import { TenantDb } from '@meshplane/platform';
import { Injectable } from '@nestjs/common';
import {
  type EdgeColumns,
  selectNewHttpPaths,
  selectServerErrorSpikes,
} from '../../http/http-request-store.js';
import { TelemetrySettingsService } from '../../settings/telemetry-settings.service.js';
import { FORBIDDEN_PAIR_SQL, pairParameters } from '../shared/forbidden-pairs.js';
import { PolicySetClient } from '../shared/policy-set.client.js';
import { checkedWindow } from '../shared/window.js';
import type {
  DeniedFlowSpike,
  HttpEdgeEnd,
  NewHttpPath,
  ServerErrorSpike,
  ThreatSignals,
  ZoneCrossing,
} from './threat-signals.model.js';

/**
 * The spike rule, per workload and role (sending or receiving denied flows): a minute is a spike
 * when its denied flows are at least {@link SPIKE_MIN_FLOWS} and at least {@link SPIKE_FACTOR}
 * times the workload's baseline — its average denied flows per minute over the
 * {@link BASELINE_MINUTES} minutes before (minutes without any count as 0; `max(baseline, 1)`
 * so a workload that was quiet needs {@link SPIKE_MIN_FLOWS}, not 1).
 */
export const SPIKE_MIN_FLOWS = 10;
export const SPIKE_FACTOR = 4;
export const BASELINE_MINUTES = 15;
const MAX_SIGNALS = 1_000;

/** The ends of an HTTP edge row. */
function httpEnds(row: EdgeColumns): { source: HttpEdgeEnd; destination: HttpEdgeEnd } {
  return {
    source: { cluster: row.src_cluster || null, namespace: row.src_namespace, workload: row.src_workload },
    destination: {
      cluster: row.dst_cluster || null,
      namespace: row.dst_namespace,
      workload: row.dst_workload,
    },
  };
}

interface SpikeRow {
  minute: Date;
  role: string;
  cluster: string;
  namespace: string;
  workload: string;
  denied: string;
  baseline: string;
}

@Injectable()
export class ThreatSignalsService {
  constructor(
    private readonly db: TenantDb,
    private readonly settings: TelemetrySettingsService,
    private readonly policySets: PolicySetClient,
  ) {}

  async threatSignals(
    tenantId: string,
    input: { from?: Date | null; to?: Date | null },
    now = new Date(),
  ): Promise<ThreatSignals> {
    const { retentionDays } = await this.settings.get(tenantId);
    const window = checkedWindow(input, retentionDays, now);
    const spikes: SpikeRow[] = await this.db.tenant(tenantId, (m) =>
      m.query(
        `WITH denied AS (
           SELECT 'source' AS role, "minute", "src_cluster" AS cluster, "src_namespace" AS namespace,
                  "src_workload" AS workload, sum("flows") AS flows
           FROM "telemetry"."flow_rollups"
           WHERE "tenant_id" = $1 AND "action" = 'deny' AND "src_type" IN ('wep', 'hep')
             AND "minute" >= date_trunc('minute', $2::timestamptz) - make_interval(mins => $4) AND "minute" < $3
           GROUP BY 1, 2, 3, 4, 5
           UNION ALL
           SELECT 'destination', "minute", "dst_cluster", "dst_namespace", "dst_workload", sum("flows")
           FROM "telemetry"."flow_rollups"
           WHERE "tenant_id" = $1 AND "action" = 'deny' AND "dst_type" IN ('wep', 'hep', 'ns')
             AND "dst_cluster" <> ''
             AND "minute" >= date_trunc('minute', $2::timestamptz) - make_interval(mins => $4) AND "minute" < $3
           GROUP BY 1, 2, 3, 4, 5
         ),
         scored AS (
           SELECT *, COALESCE(sum(flows) OVER (
                       PARTITION BY role, cluster, namespace, workload ORDER BY "minute"
                       RANGE BETWEEN make_interval(mins => $4) PRECEDING AND interval '1 minute' PRECEDING), 0)
                     / $4::numeric AS baseline
           FROM denied
         )
         SELECT "minute", role, cluster, namespace, workload, flows::text AS denied, round(baseline, 3)::text AS baseline
         FROM scored
         WHERE "minute" >= date_trunc('minute', $2::timestamptz)
           AND flows >= $5 AND flows >= $6 * GREATEST(baseline, 1)
         ORDER BY "minute" DESC, flows DESC, cluster, namespace, workload
         LIMIT ${MAX_SIGNALS}`,
        [tenantId, window.from, window.to, BASELINE_MINUTES, SPIKE_MIN_FLOWS, SPIKE_FACTOR],
      ),
    );
    const deniedSpikes: DeniedFlowSpike[] = spikes.map((row) => ({
      minute: row.minute,
      role: row.role,
      cluster: row.cluster === '' ? null : row.cluster,
      namespace: row.namespace,
      workload: row.workload,
      deniedFlows: Number(row.denied),
      baseline: Number(row.baseline),
    }));
    const set = await this.policySets.policySet(tenantId);
    const zoneCrossings: ZoneCrossing[] = [];
    for (const zone of set.zones) {
      if (zone.forbidden.length === 0) continue;
      const rows: {
        src_cluster: string;
        dst_cluster: string;
        flows: string;
        bytes: string;
        first_seen: Date;
        last_seen: Date;
      }[] = await this.db.tenant(tenantId, (m) =>
        m.query(
          `SELECT "src_cluster", "dst_cluster", sum("flows")::text AS flows,
                  sum("bytes_in" + "bytes_out")::text AS bytes, min("minute") AS first_seen, max("minute") AS last_seen
           FROM "telemetry"."flow_rollups"
           WHERE "tenant_id" = $1 AND "minute" >= date_trunc('minute', $2::timestamptz) AND "minute" < $3
             AND "action" = 'allow' AND ${FORBIDDEN_PAIR_SQL}
           GROUP BY 1, 2`,
          [tenantId, window.from, window.to, ...pairParameters(zone)],
        ),
      );
      for (const row of rows)
        zoneCrossings.push({
          zoneId: zone.id,
          zone: zone.name,
          sourceCluster: row.src_cluster,
          destinationCluster: row.dst_cluster,
          flows: Number(row.flows),
          bytes: Number(row.bytes),
          firstSeen: row.first_seen,
          lastSeen: row.last_seen,
        });
    }
    zoneCrossings.sort((a, b) => b.flows - a.flows || a.zone.localeCompare(b.zone));
    const since = new Date(now.getTime() - retentionDays * 86_400_000);
    const errorRows = await this.db.tenant(tenantId, (m) =>
      selectServerErrorSpikes(m, tenantId, window, {
        baselineMinutes: BASELINE_MINUTES,
        minErrors: SPIKE_MIN_FLOWS,
        factor: SPIKE_FACTOR,
        limit: MAX_SIGNALS,
      }),
    );
    const pathRows = await this.db.tenant(tenantId, (m) =>
      selectNewHttpPaths(m, tenantId, { since, ...window }, MAX_SIGNALS),
    );
    const serverErrorSpikes: ServerErrorSpike[] = errorRows.map((row) => ({
      minute: row.minute,
      ...httpEnds(row),
      serverErrors: Number(row.errors),
      requests: Number(row.requests),
      baseline: Number(row.baseline),
    }));
    const newHttpPaths: NewHttpPath[] = pathRows.map((row) => ({
      ...httpEnds(row),
      method: row.method,
      path: row.path,
      firstSeen: row.first_seen,
      requests: Number(row.requests),
    }));
    return { deniedSpikes, zoneCrossings, serverErrorSpikes, newHttpPaths };
  }
}
