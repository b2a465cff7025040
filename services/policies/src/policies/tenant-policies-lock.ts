import type { EntityManager } from 'typeorm';

/**
 * Serialises the writers of a tenant's tiers and policies within their transaction: every policy
 * and tier mutation (so the per-tenant limits hold under concurrency) and change-set applies (so
 * a plan's revision is checked and applied with nothing in between). Taken first, before any row
 * lock, so the writers never deadlock on each other.
 */
export async function lockTenantPolicies(m: EntityManager, tenantId: string): Promise<void> {
  await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('policies:' || $1, 0))`, [tenantId]);
}
