import type { InventoryChangedJob } from '@meshplane/events';
import { TenantDb } from '@meshplane/platform';
import { Injectable } from '@nestjs/common';
import { ClusterStateEntity } from './cluster-state.entity.js';

/** Beyond this many pending keys a cluster is simply recompiled from scratch. */
export const MAX_PENDING_KEYS = 5_000;

type Pending = Pick<ClusterStateEntity, 'inventoryEpoch' | 'fullRecompile' | 'pendingKeys'>;

/**
 * What a cluster still needs compiled after one more inventory change: keys merge as a set and
 * the epoch only grows, so applying the same change twice (a replayed job) or out of order
 * gives the same state.
 */
export function mergePending(state: Pending, job: InventoryChangedJob): Pending {
  const keys = new Set([...state.pendingKeys, ...job.upserted, ...job.deleted]);
  const fullRecompile = state.fullRecompile || job.replaced || keys.size > MAX_PENDING_KEYS;
  return {
    inventoryEpoch: Math.max(state.inventoryEpoch, job.epoch),
    fullRecompile,
    pendingKeys: fullRecompile ? [] : [...keys].sort(),
  };
}

/** Marks clusters as needing recompilation when their inventory changes (the compiler drains it). */
@Injectable()
export class ClusterStatesStore {
  constructor(private readonly db: TenantDb) {}

  async recordInventoryChange(job: InventoryChangedJob): Promise<void> {
    await this.db.tenant(job.tenantId, async (m) => {
      await m
        .createQueryBuilder()
        .insert()
        .into(ClusterStateEntity)
        .values({ clusterId: job.clusterId, tenantId: job.tenantId, inventoryEpoch: job.epoch })
        .orIgnore()
        .execute();
      const state = await m.findOneOrFail(ClusterStateEntity, {
        where: { clusterId: job.clusterId, tenantId: job.tenantId },
        lock: { mode: 'pessimistic_write' },
      });
      const next = mergePending(state, job);
      await m.update(
        ClusterStateEntity,
        { clusterId: job.clusterId },
        {
          ...next,
          pendingKeyCount: next.pendingKeys.length,
          pendingSince: state.pendingSince ?? new Date(),
        },
      );
    });
  }
}
