import type { EntityManager } from 'typeorm';

/**
 * Serialises writers of a tenant's policy set within their transaction: policy creation and
 * rollback (so the per-tenant limit holds under concurrency) and change-set applies (so a plan's
 * revision is checked and applied with nothing in between).
 */
export async function lockTenantPolicies(m: EntityManager, tenantId: string): Promise<void> {
  await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('policies:' || $1, 0))`, [tenantId]);
}
