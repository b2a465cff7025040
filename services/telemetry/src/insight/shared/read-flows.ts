import type { TenantDb } from '@meshplane/platform';
import type { FlowRowRecord } from '../../flows/flow-row.js';

/** Reads a window's recorded flows, oldest first, at most `limit` (+1 to tell there were more). */
export async function readFlows(
  db: TenantDb,
  tenantId: string,
  window: { from: Date; to: Date },
  limit: number,
  where = 'TRUE',
  parameters: unknown[] = [],
  order = 'ASC',
): Promise<FlowRowRecord[]> {
  return db.tenant(tenantId, (m) =>
    m.query(
      `SELECT * FROM "telemetry"."flows"
       WHERE "tenant_id" = $1 AND "start_time" >= $2 AND "start_time" < $3 AND (${where})
       ORDER BY "start_time" ${order}, "cluster_id" ${order}, "seq" ${order}
       LIMIT ${limit + 1}`,
      [tenantId, window.from, window.to, ...parameters],
    ),
  );
}
