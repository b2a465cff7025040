import type { EntityManager } from 'typeorm';

/**
 * Serialises zone writes in a tenant (zone mutations and change-set applies): references between
 * zones and the limit hold under concurrency. A change-set apply takes it after the tenant's
 * policy lock; zone mutations take only this one, so the two never wait on each other in a cycle.
 */
export async function lockTenantZones(m: EntityManager, tenantId: string): Promise<void> {
  await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('compliance-zones:' || $1, 0))`, [tenantId]);
}
