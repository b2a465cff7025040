import { randomUUID } from 'node:crypto';
import { INVENTORY_RESYNC_CHANNEL, type InventoryJob } from '@meshplane/events';
import {
  createDataSource,
  type Logger,
  NotYetError,
  Outbox,
  outboxEntity,
  type QueueProducer,
  TenantDb,
} from '@meshplane/platform';
import { createTestDatabase, TEST_REDIS_URL, testPod, uniqueRedisPrefix } from '@meshplane/testing';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterEntity } from '../src/clusters/cluster.entity.js';
import { ClustersService } from '../src/clusters/clusters.service.js';
import type { PresenceService } from '../src/clusters/presence.service.js';
import type { ClustersConfig } from '../src/config.js';
import { clustersEntities } from '../src/entities.js';
import { InventoryStore, RESYNC_AFTER_MS } from '../src/inventory/inventory.store.js';
import { InventoryObjectEntity } from '../src/inventory/inventory-object.entity.js';

describe('inventory store: ordered, idempotent application of agents inventory (real Postgres)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataSource: DataSource;
  let store: InventoryStore;
  let outbox: Outbox;
  const events: Array<{ data: unknown; jobId?: string }> = [];
  /** Set while "Redis" refuses jobs. */
  let redisAway: Error | undefined;
  const prefix = uniqueRedisPrefix();
  const resyncs: unknown[] = [];
  let redis: Redis;
  let subscriber: Redis;
  const tenantId = randomUUID();
  let clusterId: string;

  const snapshot = (epoch: number, seq: number, names: string[]): InventoryJob => ({
    kind: 'snapshot',
    tenantId,
    clusterId,
    epoch,
    seq,
    objects: names.map((n, i) => testPod('shop', n, `10.0.0.${i + 1}`)),
  });
  const upsert = (epoch: number, seq: number, name: string): InventoryJob => ({
    kind: 'delta',
    tenantId,
    clusterId,
    epoch,
    seq,
    changes: [{ op: 'upsert', object: testPod('shop', name, '10.0.1.1') }],
  });
  const remove = (epoch: number, seq: number, name: string): InventoryJob => ({
    kind: 'delta',
    tenantId,
    clusterId,
    epoch,
    seq,
    changes: [{ op: 'delete', object: { kind: 'pod', namespace: 'shop', name } }],
  });
  const stored = async () =>
    (
      await dataSource
        .getRepository(InventoryObjectEntity)
        .find({ where: { clusterId }, order: { name: 'ASC' } })
    ).map((o) => o.name);

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await createDataSource({
      url: database.url,
      schema: 'clusters',
      entities: clustersEntities,
    }).initialize();
    const producer = {
      addBulk: async (_q: unknown, items: unknown[], options: { jobId?: string }[]) => {
        if (redisAway) throw redisAway;
        items.forEach((data, i) => void events.push({ data, jobId: options[i]?.jobId }));
      },
    };
    const quiet = { warn: () => {} } as unknown as Logger;
    outbox = new Outbox(
      new TenantDb(dataSource),
      producer as unknown as QueueProducer,
      outboxEntity('clusters'),
      quiet,
      'clusters',
    );
    redis = new Redis(TEST_REDIS_URL);
    subscriber = new Redis(TEST_REDIS_URL);
    await subscriber.subscribe(`${prefix}:${INVENTORY_RESYNC_CHANNEL.name}`);
    subscriber.on('message', (_channel, raw: string) => resyncs.push(JSON.parse(raw)));
    store = new InventoryStore(new TenantDb(dataSource), outbox, redis, {
      REDIS_PREFIX: prefix,
    } as ClustersConfig);
    clusterId = (await dataSource.getRepository(ClusterEntity).save({ tenantId, name: 'c1', labels: {} })).id;
  });

  afterAll(async () => {
    await subscriber?.quit();
    await redis?.quit();
    await dataSource?.destroy();
    await database?.drop();
  });

  it('replaces the inventory with a snapshot and announces what changed', async () => {
    expect(await store.apply(snapshot(1, 1, ['a', 'b']))).toBe('applied');
    expect(await stored()).toEqual(['a', 'b']);
    expect(events.at(-1)).toEqual({
      jobId: `${clusterId}-1-1`,
      data: expect.objectContaining({ replaced: true, upserted: ['pod/shop/a', 'pod/shop/b'] }),
    });
  });

  it('holds back a delta that arrives before its predecessor, then applies both in order', async () => {
    await expect(store.apply(remove(1, 3, 'c'))).rejects.toBeInstanceOf(NotYetError);
    expect(await store.apply(upsert(1, 2, 'c'))).toBe('applied');
    expect(await store.apply(remove(1, 3, 'c'))).toBe('applied');
    expect(await stored()).toEqual(['a', 'b']);
  });

  it('asks for a fresh snapshot (once) when a delta has waited too long for a predecessor that may be lost', async () => {
    const stale = Date.now() - RESYNC_AFTER_MS - 1;
    await expect(store.apply(upsert(1, 9, 'z'), Date.now())).rejects.toBeInstanceOf(NotYetError);
    await new Promise((r) => setTimeout(r, 50));
    expect(resyncs).toEqual([]);
    await expect(store.apply(upsert(1, 9, 'z'), stale)).rejects.toBeInstanceOf(NotYetError);
    await expect(store.apply(upsert(1, 10, 'y'), stale)).rejects.toBeInstanceOf(NotYetError);
    const deadline = Date.now() + 2_000;
    while (resyncs.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
    expect(resyncs).toEqual([{ clusterId, epoch: 1 }]);
  });

  it('ignores a replayed delta or snapshot', async () => {
    const before = events.length;
    expect(await store.apply(upsert(1, 2, 'c'))).toBe('duplicate');
    expect(await store.apply(snapshot(1, 1, ['x']))).toBe('duplicate');
    expect(await stored()).toEqual(['a', 'b']);
    expect(events.length).toBe(before);
  });

  it('makes a new session start from its own snapshot and drops the old session late deltas', async () => {
    await expect(store.apply(upsert(2, 2, 'd'))).rejects.toBeInstanceOf(NotYetError);
    expect(await store.apply(snapshot(2, 1, ['b', 'e']))).toBe('applied');
    expect(await store.apply(upsert(1, 4, 'zombie'))).toBe('stale');
    expect(await store.apply(upsert(2, 2, 'd'))).toBe('applied');
    expect(await stored()).toEqual(['b', 'd', 'e']);
  });

  it('keeps what changed in the outbox while Redis refuses it, and announces it once Redis is back', async () => {
    redisAway = new Error('Redis is away');
    const before = events.length;
    try {
      expect(await store.apply(upsert(2, 3, 'c'))).toBe('applied');
      expect(await stored()).toEqual(['b', 'c', 'd', 'e']);
      expect(events.length).toBe(before);
      expect(await outbox.pending()).toBe(1);
    } finally {
      redisAway = undefined;
    }
    await outbox.deliver();
    expect(await outbox.pending()).toBe(0);
    expect(events.slice(before)).toEqual([
      { jobId: `${clusterId}-2-3`, data: expect.objectContaining({ upserted: ['pod/shop/c'], deleted: [] }) },
    ]);
    expect(await store.apply(remove(2, 4, 'c'))).toBe('applied');
    expect(await stored()).toEqual(['b', 'd', 'e']);
  });

  it('drops jobs of a cluster that no longer exists, or of another tenant', async () => {
    expect(await store.apply({ ...snapshot(9, 1, ['q']), clusterId: randomUUID() })).toBe('stale');
    expect(await store.apply({ ...snapshot(9, 1, ['q']), tenantId: randomUUID() })).toBe('stale');
    expect(await stored()).toEqual(['b', 'd', 'e']);
  });

  it('records session status: last seen only moves forward, and an old session cannot overwrite a newer one', async () => {
    const repo = dataSource.getRepository(ClusterEntity);
    await repo.update({ id: clusterId }, { sessionEpoch: 3 });
    const status = (epoch: number, event: 'connected' | 'disconnected', at: string, extra = {}) =>
      store.recordStatus({ tenantId, clusterId, epoch, event, at, ...extra });
    await status(3, 'connected', '2026-11-25T10:00:00.000Z', { agentVersion: '2.0.0', nodeCount: 4 });
    await status(2, 'disconnected', '2026-11-25T09:59:00.000Z', {
      agentVersion: '1.0.0',
      reason: 'superseded',
    });
    let row = await repo.findOneByOrFail({ id: clusterId });
    expect(row).toMatchObject({ agentVersion: '2.0.0', nodeCount: 4, lastError: null });
    expect(row.lastSeenAt?.toISOString()).toBe('2026-11-25T10:00:00.000Z');
    await status(3, 'disconnected', '2026-11-25T10:05:00.000Z', { reason: 'heartbeat timeout' });
    row = await repo.findOneByOrFail({ id: clusterId });
    expect(row.lastError).toBe('disconnected: heartbeat timeout');
    expect(row.lastSeenAt?.toISOString()).toBe('2026-11-25T10:05:00.000Z');
  });

  it("keeps the Calico version and kinds of the cluster's latest session, not an older one's", async () => {
    const repo = dataSource.getRepository(ClusterEntity);
    await repo.update({ id: clusterId }, { sessionEpoch: 5 });
    const status = (epoch: number, extra = {}) =>
      store.recordStatus({
        tenantId,
        clusterId,
        epoch,
        event: 'connected',
        at: '2026-11-25T11:00:00.000Z',
        ...extra,
      });

    await status(5, { calicoVersion: 'v3.29.4', calicoKinds: ['NetworkPolicy', 'Tier'] });
    await status(4, { calicoVersion: 'v3.28.0', calicoKinds: ['NetworkPolicy'] });
    expect(await repo.findOneByOrFail({ id: clusterId })).toMatchObject({
      calicoVersion: 'v3.29.4',
      calicoKinds: ['NetworkPolicy', 'Tier'],
    });

    await status(6, {
      calicoVersion: 'v3.30.1',
      calicoKinds: ['NetworkPolicy', 'StagedNetworkPolicy', 'Tier'],
    });
    expect(await repo.findOneByOrFail({ id: clusterId })).toMatchObject({
      calicoVersion: 'v3.30.1',
      calicoKinds: ['NetworkPolicy', 'StagedNetworkPolicy', 'Tier'],
    });
  });
  it('leaves no inventory behind a cluster deleted while a job of it is being stored', async () => {
    const repo = dataSource.getRepository(ClusterEntity);
    const doomed = (await repo.save({ tenantId, name: 'doomed', labels: {} })).id;
    const clusters = new ClustersService(
      new TenantDb(dataSource),
      {} as PresenceService,
      redis,
      { REDIS_PREFIX: prefix, AGENT_IMAGE: 'meshplane/agent:0.1.0' } as ClustersConfig,
      outbox,
      {} as Logger,
    );
    /** Backends of this database waiting for a lock. */
    const waiting = async () =>
      Number(
        (
          (await dataSource.query(
            `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          )) as { n: string }[]
        )[0]!.n,
      );
    const until = async (count: number) => {
      const deadline = Date.now() + 5_000;
      while ((await waiting()) < count) {
        if (Date.now() > deadline) throw new Error(`${count} backends never waited for a lock`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    // Holding the cluster's row stops the job after it has read the cluster and written its
    // objects, right before it records its sequence number; the deletion starts meanwhile.
    const holder = dataSource.createQueryRunner();
    await holder.startTransaction();
    await holder.query('SELECT 1 FROM clusters.clusters WHERE id = $1 FOR UPDATE', [doomed]);
    const applying = store.apply({ ...snapshot(1, 1, ['p', 'q']), clusterId: doomed });
    await until(1);
    const deleting = clusters.delete(tenantId, doomed);
    await until(2);
    await holder.commitTransaction();
    await holder.release();
    await Promise.all([applying, deleting]);
    expect(await repo.findOneBy({ id: doomed })).toBeNull();
    expect(await dataSource.getRepository(InventoryObjectEntity).findBy({ clusterId: doomed })).toEqual([]);
  });
});
