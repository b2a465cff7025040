import { CONFIG, InjectLogger, type Logger, TenantDb } from '@meshplane/platform';
import { Inject, Injectable } from '@nestjs/common';
import type { TelemetryConfig } from '../config.js';

const DAY_SECONDS = 86_400;
/** The day-partitioned tables of the schema: flows, and HTTP requests (L7 records). */
export const PARTITIONED_TABLES = ['flows', 'http_requests'] as const;
export type PartitionedTable = (typeof PARTITIONED_TABLES)[number];
const PARTITION_NAME = /^(flows|http_requests)_p(\d{4})(\d{2})(\d{2})$/;
/** Postgres advisory lock key for partition DDL (any 64-bit constant unique in the schema). */
const PARTITION_LOCK = 7_101_700_001;

/** The UTC day number (days since the epoch) of a time in epoch seconds. */
export function dayOf(epochSeconds: number): number {
  return Math.floor(epochSeconds / DAY_SECONDS);
}

/** `flows_p20261125` (or `http_requests_p20261125`) for the day. */
export function partitionName(day: number, table: PartitionedTable = 'flows'): string {
  return `${table}_p${new Date(day * DAY_SECONDS * 1_000).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/**
 * The daily partitions of `telemetry.flows` and `telemetry.http_requests`. The worker creates them ahead (today and the next
 * days) and on demand for the days a batch needs; each gets the parent's row-level security
 * policy, and no grant, so the app role reaches rows only through the parent. Retention: a
 * partition is dropped once it is older than the longest retention of any tenant; rows of tenants
 * with a shorter retention are deleted from the partitions still kept (queries hide them anyway),
 * and per-minute rollups and agents' drop reports are deleted past each tenant's own retention.
 */
@Injectable()
export class FlowPartitions {
  private readonly known = new Set<string>();

  constructor(
    private readonly db: TenantDb,
    @Inject(CONFIG) private readonly config: TelemetryConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /** Makes sure a partition of `table` exists for each day (UTC day numbers). */
  async ensure(days: Iterable<number>, table: PartitionedTable = 'flows'): Promise<void> {
    const missing = [...new Set(days)].filter((day) => !this.known.has(`${table}:${day}`));
    if (missing.length === 0) return;
    await this.db.system(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
      for (const day of missing) {
        const name = partitionName(day, table);
        const [{ exists }] = await manager.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [
          `"telemetry"."${name}"`,
        ]);
        if (!exists) {
          const from = new Date(day * DAY_SECONDS * 1_000).toISOString();
          const to = new Date((day + 1) * DAY_SECONDS * 1_000).toISOString();
          const partition = `"telemetry"."${name}"`;
          await manager.query(
            `CREATE TABLE ${partition} PARTITION OF "telemetry"."${table}" FOR VALUES FROM ('${from}') TO ('${to}')`,
          );
          await manager.query(`ALTER TABLE ${partition} ENABLE ROW LEVEL SECURITY`);
          await manager.query(
            `CREATE POLICY tenant_isolation ON ${partition} TO meshplane_app
               USING ("tenant_id" = NULLIF(current_setting('meshplane.tenant_id', true), '')::uuid)
               WITH CHECK ("tenant_id" = NULLIF(current_setting('meshplane.tenant_id', true), '')::uuid)`,
          );
          this.logger.info({ partition: name }, 'created telemetry partition');
        }
      }
    });
    for (const day of missing) this.known.add(`${table}:${day}`);
  }

  /**
   * Creates the partitions of yesterday, today and the next `aheadDays`; drops those past the
   * longest retention; deletes rows of tenants whose own retention is shorter.
   */
  async maintain(
    now = Date.now(),
    aheadDays = 2,
  ): Promise<{ dropped: string[]; deleted: number; deletedRollups: number }> {
    const today = dayOf(Math.floor(now / 1_000));
    const days = [];
    for (let day = today - 1; day <= today + aheadDays; day += 1) days.push(day);
    for (const table of PARTITIONED_TABLES) await this.ensure(days, table);
    return this.db.system(async (manager) => {
      const [{ longest, shortest }] = await manager.query(
        `SELECT GREATEST($1::int, COALESCE(max(retention_days), 0)) AS longest,
                LEAST($1::int, COALESCE(min(retention_days), $1::int)) AS shortest
         FROM "telemetry"."tenant_settings"`,
        [this.config.DEFAULT_RETENTION_DAYS],
      );
      const partitions: { name: string }[] = await manager.query(
        `SELECT c.relname AS name FROM pg_inherits i
           JOIN pg_class c ON c.oid = i.inhrelid
           JOIN pg_class p ON p.oid = i.inhparent
           JOIN pg_namespace n ON n.oid = p.relnamespace
         WHERE n.nspname = 'telemetry' AND p.relname = ANY($1::text[])`,
        [PARTITIONED_TABLES],
      );
      const dropped: string[] = [];
      // A partition whose whole day ended before the cutoff holds nothing any tenant keeps.
      const cutoffDay = today - Number(longest);
      for (const { name } of partitions) {
        const match = PARTITION_NAME.exec(name);
        if (!match) continue;
        const day = dayOf(Date.UTC(Number(match[2]), Number(match[3]) - 1, Number(match[4])) / 1_000);
        if (day >= cutoffDay) continue;
        await manager.query(`DROP TABLE "telemetry"."${name}"`);
        this.known.delete(`${match[1]}:${day}`);
        dropped.push(name);
      }
      let deletedRows = 0;
      for (const table of PARTITIONED_TABLES) {
        const deleted: { count: number }[] = await manager.query(
          `WITH gone AS (
             DELETE FROM "telemetry"."${table}" f
             WHERE f.start_time < to_timestamp($2::bigint) - make_interval(days => $3::int)
               AND f.start_time < to_timestamp($2::bigint) - make_interval(days => COALESCE(
                 (SELECT s.retention_days FROM "telemetry"."tenant_settings" s WHERE s.tenant_id = f.tenant_id),
                 $1::int))
             RETURNING 1)
           SELECT count(*)::int AS count FROM gone`,
          [this.config.DEFAULT_RETENTION_DAYS, Math.floor(now / 1_000), Number(shortest)],
        );
        deletedRows += deleted[0]!.count;
      }
      // Rollups (of flows and of HTTP requests) follow the same retention as the rows they sum.
      let deletedRollups = 0;
      for (const table of ['flow_rollups', 'http_rollups']) {
        const rollups: { count: number }[] = await manager.query(
          `WITH gone AS (
             DELETE FROM "telemetry"."${table}" r
             WHERE r.minute < to_timestamp($2::bigint) - make_interval(days => COALESCE(
                 (SELECT s.retention_days FROM "telemetry"."tenant_settings" s WHERE s.tenant_id = r.tenant_id),
                 $1::int))
             RETURNING 1)
           SELECT count(*)::int AS count FROM gone`,
          [this.config.DEFAULT_RETENTION_DAYS, Math.floor(now / 1_000)],
        );
        deletedRollups += rollups[0]!.count;
      }
      // So do the agents' drop reports.
      await manager.query(
        `DELETE FROM "telemetry"."flow_drops" d
         WHERE d.reported_at < to_timestamp($2::bigint) - make_interval(days => COALESCE(
             (SELECT s.retention_days FROM "telemetry"."tenant_settings" s WHERE s.tenant_id = d.tenant_id),
             $1::int))`,
        [this.config.DEFAULT_RETENTION_DAYS, Math.floor(now / 1_000)],
      );
      if (dropped.length > 0 || deletedRows > 0 || deletedRollups > 0)
        this.logger.info({ dropped, deletedRows, deletedRollups }, 'telemetry retention applied');
      return { dropped, deleted: deletedRows, deletedRollups };
    });
  }
}
