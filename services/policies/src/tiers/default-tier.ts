import { DEFAULT_TIER } from '@meshplane/policy';
import type { EntityManager } from 'typeorm';
import { TierEntity } from './tier.entity.js';

/**
 * Calico's built-in `default` tier exists in every tenant from the first time tiers are used:
 * it is materialised (idempotently) before any read or write that may need it, so it has a
 * stable id and policies that name no tier always have a home.
 */
export async function ensureDefaultTier(manager: EntityManager, tenantId: string): Promise<void> {
  await manager
    .createQueryBuilder()
    .insert()
    .into(TierEntity)
    .values({
      tenantId,
      name: DEFAULT_TIER.name,
      order: DEFAULT_TIER.order,
      defaultAction: DEFAULT_TIER.defaultAction,
    })
    .orIgnore()
    .execute();
}
