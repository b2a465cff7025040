import {
  type AgentStatusJob,
  INVENTORY_CHANGED_QUEUE,
  INVENTORY_RESYNC_CHANNEL,
  type InventoryJob,
} from '@meshplane/events';
import { CONFIG, channel, NotYetError, Outbox, REDIS, TenantDb } from '@meshplane/platform';
import { type InventoryObject, inventoryKey } from '@meshplane/protocol';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { EntityManager } from 'typeorm';
import { ClusterEntity } from '../clusters/cluster.entity.js';
import type { ClustersConfig } from '../config.js';
import { InventoryObjectEntity } from './inventory-object.entity.js';

type Ref = { kind: InventoryObject['kind']; namespace?: string; name: string };

function row(tenantId: string, clusterId: string, object: InventoryObject) {
  const namespace = 'namespace' in object ? object.namespace : '';
  return { tenantId, clusterId, kind: object.kind, namespace, name: object.name, object };
}

export type ApplyOutcome = 'applied' | 'duplicate' | 'stale';

/**
 * Takes the cluster's inventory lock until the transaction ends: whatever else writes or removes
 * the cluster's inventory takes it too (deleting the cluster, so no job that read the cluster
 * before it went leaves rows behind it).
 */
export async function lockClusterInventory(m: EntityManager, clusterId: string): Promise<void> {
  await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`inventory:${clusterId}`]);
}

/** A job waiting this long for its predecessor asks for a fresh snapshot of the cluster. */
export const RESYNC_AFTER_MS = 10_000;

/**
 * Applies agents' inventory idempotently and in order. Sessions of a cluster are ordered by their
 * epoch, jobs within a session by seq (a snapshot replaces everything). Under a per-cluster lock: an
 * older session's jobs are dropped, a replayed job is a no-op, and a job that arrives before its
 * predecessor is retried (NotYetError) until the predecessor has been applied — so a replayed or
 * reordered delivery can never corrupt the stored inventory.
 */
@Injectable()
export class InventoryStore {
  constructor(
    private readonly db: TenantDb,
    private readonly outbox: Outbox,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: ClustersConfig,
  ) {}

  /**
   * Applies a job; `queuedAt` (epoch ms) is when it was queued. A job still waiting for its
   * predecessor after {@link RESYNC_AFTER_MS} suggests the predecessor was lost (a Redis restart):
   * the hub holding the session is asked to get a fresh snapshot from the agent, which replaces
   * everything and lets the waiting jobs through as replays.
   */
  async apply(job: InventoryJob, queuedAt = Date.now()): Promise<ApplyOutcome> {
    try {
      return await this.applyInOrder(job);
    } catch (error) {
      if (error instanceof NotYetError && Date.now() - queuedAt > RESYNC_AFTER_MS) {
        await this.requestResync(job.clusterId, job.epoch);
      }
      throw error;
    }
  }

  /** At most once per interval per cluster and session, whatever the number of waiting jobs. */
  private async requestResync(clusterId: string, epoch: number): Promise<void> {
    const prefix = this.config.REDIS_PREFIX;
    const first = await this.redis
      .set(`${prefix}:inventory-resync:${clusterId}:${epoch}`, '1', 'PX', RESYNC_AFTER_MS, 'NX')
      .catch(() => null);
    if (first !== 'OK') return;
    await this.redis
      .publish(channel(prefix, INVENTORY_RESYNC_CHANNEL.name), JSON.stringify({ clusterId, epoch }))
      .catch(() => {});
  }

  /**
   * Applies the job under the cluster's lock; what changed is written to the outbox in the same
   * transaction (`inventory-changed`), so a change stored is announced even when Redis is away or
   * the process dies right after the commit.
   */
  private async applyInOrder(job: InventoryJob): Promise<ApplyOutcome> {
    const outcome = await this.db.tenant(job.tenantId, async (m) => {
      const result = await this.applyLocked(m, job);
      if (result.outcome === 'applied') {
        await this.outbox.put(
          m,
          job.tenantId,
          INVENTORY_CHANGED_QUEUE,
          {
            tenantId: job.tenantId,
            clusterId: job.clusterId,
            epoch: job.epoch,
            upserted: result.upserted,
            deleted: result.deleted,
            replaced: result.replaced,
          },
          `${job.clusterId}-${job.epoch}-${job.seq}`,
        );
      }
      return result.outcome;
    });
    if (outcome === 'applied') await this.outbox.deliver();
    return outcome;
  }

  private async applyLocked(
    m: EntityManager,
    job: InventoryJob,
  ): Promise<
    | { outcome: 'stale' | 'duplicate' }
    | { outcome: 'applied'; upserted: string[]; deleted: string[]; replaced: boolean }
  > {
    await lockClusterInventory(m, job.clusterId);
    const cluster = await m.findOne(ClusterEntity, {
      where: { id: job.clusterId, tenantId: job.tenantId },
    });
    if (!cluster || job.epoch < cluster.inventoryEpoch) return { outcome: 'stale' as const };
    if (job.epoch === cluster.inventoryEpoch && job.seq <= cluster.inventorySeq) {
      return { outcome: 'duplicate' as const };
    }
    if (job.kind === 'snapshot') {
      await this.replace(m, job.tenantId, job.clusterId, job.objects);
      await m.update(
        ClusterEntity,
        { id: job.clusterId },
        { inventoryEpoch: job.epoch, inventorySeq: job.seq },
      );
      return {
        outcome: 'applied' as const,
        upserted: job.objects.map(inventoryKey),
        deleted: [],
        replaced: true,
      };
    }
    if (job.epoch > cluster.inventoryEpoch || job.seq > cluster.inventorySeq + 1) {
      throw new NotYetError(
        `delta ${job.epoch}/${job.seq} waits for ${cluster.inventoryEpoch}/${cluster.inventorySeq + 1}`,
      );
    }
    const upserted: string[] = [];
    const deleted: string[] = [];
    for (const change of job.changes) {
      if (change.op === 'upsert') {
        await m.upsert(InventoryObjectEntity, row(job.tenantId, job.clusterId, change.object), [
          'clusterId',
          'kind',
          'namespace',
          'name',
        ]);
        upserted.push(inventoryKey(change.object));
      } else {
        const ref = change.object as Ref;
        await m.delete(InventoryObjectEntity, {
          clusterId: job.clusterId,
          kind: ref.kind,
          namespace: ref.kind === 'namespace' ? '' : (ref.namespace ?? ''),
          name: ref.name,
        });
        deleted.push(inventoryKey(change.object as InventoryObject));
      }
    }
    await m.update(ClusterEntity, { id: job.clusterId }, { inventorySeq: job.seq });
    return { outcome: 'applied' as const, upserted, deleted, replaced: false };
  }

  /**
   * Persists what a session start or end tells about the agent. Jobs may arrive late or twice:
   * `lastSeenAt` only moves forward, and only the cluster's latest session (its epoch) may set
   * the versions or the last error, so an old session's goodbye never overwrites a newer one.
   */
  async recordStatus(job: AgentStatusJob): Promise<void> {
    await this.db.tenant(job.tenantId, async (m) => {
      const cluster = await m.findOne(ClusterEntity, {
        where: { id: job.clusterId, tenantId: job.tenantId },
      });
      if (!cluster) return;
      const at = new Date(job.at);
      const latestSession = job.epoch >= cluster.sessionEpoch;
      const update: Partial<ClusterEntity> = {};
      if (!cluster.lastSeenAt || at > cluster.lastSeenAt) update.lastSeenAt = at;
      if (latestSession) {
        if (job.agentVersion) update.agentVersion = job.agentVersion;
        if (job.kubernetesVersion) update.kubernetesVersion = job.kubernetesVersion;
        if (job.nodeCount !== undefined) update.nodeCount = job.nodeCount;
        if (job.calicoVersion) update.calicoVersion = job.calicoVersion;
        if (job.calicoKinds !== undefined) update.calicoKinds = job.calicoKinds;
        update.lastError = job.event === 'disconnected' && job.reason ? `disconnected: ${job.reason}` : null;
      }
      if (Object.keys(update).length > 0) await m.update(ClusterEntity, { id: job.clusterId }, update);
    });
  }

  private async replace(m: EntityManager, tenantId: string, clusterId: string, objects: InventoryObject[]) {
    await m.delete(InventoryObjectEntity, { clusterId });
    const rows = objects.map((object) => row(tenantId, clusterId, object));
    for (let i = 0; i < rows.length; i += 500) {
      await m
        .createQueryBuilder()
        .insert()
        .into(InventoryObjectEntity)
        .values(rows.slice(i, i + 500))
        .orIgnore()
        .execute();
    }
  }
}
