import { TenantDb } from '@meshplane/platform';
import { Injectable } from '@nestjs/common';
import { policiesEntities } from '../entities.js';

/**
 * Removes every row of a deleted tenant from the policies schema: tiers, policies and their
 * versions, zones, encryption settings, compile requests, bundles and rollout state. It holds the
 * tenant's compile lock, so a compile under way either finished before (and its rows go too) or
 * finds its requests gone and stores nothing.
 */
@Injectable()
export class PoliciesTenantPurge {
  constructor(private readonly db: TenantDb) {}

  purge(tenantId: string): Promise<number> {
    return this.db.tenant(tenantId, async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`meshplane:compile:${tenantId}`]);
      let removed = 0;
      for (const entity of policiesEntities) removed += (await m.delete(entity, { tenantId })).affected ?? 0;
      return removed;
    });
  }
}
