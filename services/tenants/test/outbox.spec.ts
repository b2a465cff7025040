import { randomUUID } from 'node:crypto';
import { CLUSTER_CHANGED_QUEUE } from '@meshplane/events';
import {
  AUDIT_QUEUE,
  type AuditEvent,
  AuditTrail,
  type BaseConfig,
  createDataSource,
  OUTBOX_DELIVERY_TIMEOUT_MS,
  Outbox,
  outboxEntity,
  QueueProducer,
  queuePrefix,
  TenantDb,
} from '@meshplane/platform';
import {
  createTestDatabase,
  type PrivateServer,
  startPrivateRedis,
  uniqueRedisPrefix,
} from '@meshplane/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantsEntities } from '../src/entities.js';

/**
 * The platform's outbox on a service schema (tenants) with real Postgres and a private Redis that
 * the tests kill: jobs written with a change are queued exactly when the change commits, survive
 * a Redis outage in the table, and replicas sweeping at once queue each row once.
 */
describe('the outbox: no side effect lost (real Postgres, a private Redis)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataSource: DataSource;
  let db: TenantDb;
  let redis: PrivateServer;
  let connection: Redis;
  let producer: QueueProducer;
  let outbox: Outbox;
  const prefix = uniqueRedisPrefix();
  const logger = pino({ level: 'silent' });
  const entity = outboxEntity('tenants');
  const tenantId = randomUUID();
  const queue = (name: string) => new Queue(name, { connection, prefix: queuePrefix(prefix) });
  const job = (change: 'labels' | 'revoked' = 'labels') => ({ tenantId, clusterId: randomUUID(), change });

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await createDataSource({
      url: database.url,
      schema: 'tenants',
      entities: tenantsEntities,
    }).initialize();
    db = new TenantDb(dataSource);
    redis = await startPrivateRedis();
    connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    connection.on('error', () => {}); // refused while the tests have Redis down
    producer = new QueueProducer(connection, prefix);
    outbox = new Outbox(db, producer, entity, logger, 'tenants');
  });

  afterAll(async () => {
    await producer?.close();
    connection?.disconnect();
    await redis?.stop();
    await dataSource?.destroy();
    await database?.drop();
  });

  it('queues a job only when its transaction commits, with its job id, and empties the table', async () => {
    await expect(
      db.tenant(tenantId, async (m) => {
        await outbox.put(m, tenantId, CLUSTER_CHANGED_QUEUE, job(), 'rolled-back');
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const committed = job();
    await db.tenant(tenantId, (m) => outbox.put(m, tenantId, CLUSTER_CHANGED_QUEUE, committed, 'committed'));
    expect(await outbox.pending()).toBe(1);
    await outbox.deliver();
    expect(await outbox.pending()).toBe(0);
    const changes = queue(CLUSTER_CHANGED_QUEUE.name);
    expect(await changes.getJob('rolled-back')).toBeUndefined();
    expect((await changes.getJob('committed'))?.data).toEqual(committed);
    await changes.close();
  });

  it('refuses a job its queue would refuse, so the change that made it fails', async () => {
    await expect(
      db.tenant(tenantId, (m) =>
        outbox.put(m, tenantId, CLUSTER_CHANGED_QUEUE, { ...job(), change: 'renamed' as 'labels' }),
      ),
    ).rejects.toThrow(/change/);
    expect(await outbox.pending()).toBe(0);
  });

  it('keeps jobs in the table while Redis is down, gives up on them in bounded time, and queues them when it is back', async () => {
    await redis.kill();
    const written = [job(), job('revoked')];
    for (const data of written)
      await db.tenant(tenantId, (m) => outbox.put(m, tenantId, CLUSTER_CHANGED_QUEUE, data));
    const started = Date.now();
    await outbox.deliver();
    // The delivery gave up on Redis (a mutation awaiting it answers) and left both rows.
    expect(Date.now() - started).toBeLessThan(OUTBOX_DELIVERY_TIMEOUT_MS + 2_000);
    expect(await outbox.pending()).toBe(2);
    await redis.start();
    await outbox.deliver();
    expect(await outbox.pending()).toBe(0);
    const changes = queue(CLUSTER_CHANGED_QUEUE.name);
    const queued = (await changes.getJobs(['waiting'])).map((j) => j.data);
    for (const data of written) expect(queued).toContainEqual(data);
    await changes.close();
  });

  it('two processes sweeping at once queue each row once', async () => {
    const rows = 450;
    await db.tenant(tenantId, async (m) => {
      for (let i = 0; i < rows; i += 1) await outbox.put(m, tenantId, CLUSTER_CHANGED_QUEUE, job());
    });
    let handedToRedis = 0;
    const counting = Object.assign(Object.create(producer) as QueueProducer, {
      addBulk: (...args: Parameters<QueueProducer['addBulk']>) => {
        handedToRedis += args[1].length;
        return producer.addBulk(...args);
      },
    });
    const replicas = [1, 2].map(() => new Outbox(db, counting, entity, logger, 'tenants'));
    await Promise.all(replicas.map((replica) => replica.deliver()));
    expect(await outbox.pending()).toBe(0);
    expect(handedToRedis).toBe(rows);
  });

  it('keeps an audit event Redis does not take in the outbox; it reaches the audit queue once Redis is back', async () => {
    const trail = new AuditTrail({ REDIS_PREFIX: prefix } as BaseConfig, connection, logger, outbox);
    const event: AuditEvent = {
      id: randomUUID(),
      tenantId,
      occurredAt: new Date().toISOString(),
      service: 'clusters',
      operation: 'updateClusterLabels',
      actorKind: 'user',
      actorUserId: randomUUID(),
      actorTokenId: null,
      targetType: 'Cluster',
      targetId: randomUUID(),
      arguments: { labels: [{ key: 'geo', value: 'eu' }] },
      outcome: 'ok',
      errorCode: null,
      correlationId: 'outbox-test',
    };
    await redis.kill();
    await trail.record(event);
    expect(await outbox.pending()).toBe(1);
    await redis.start();
    await outbox.deliver();
    expect(await outbox.pending()).toBe(0);
    const audit = queue(AUDIT_QUEUE);
    expect((await audit.getJob(event.id))?.data).toEqual(event);
    await audit.close();
    await trail.onModuleDestroy();
  });
});
