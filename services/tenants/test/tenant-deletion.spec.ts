import { randomUUID } from 'node:crypto';
import { TENANT_DELETED_QUEUES } from '@meshplane/events';
import { type AuthenticatedIdentity, type QueueProducer, TenantDb } from '@meshplane/platform';
import { type SubgraphApp, startSubgraphApp } from '@meshplane/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.js';
import { TenantDeletionEntity } from '../src/deletion/tenant-deletion.entity.js';
import { TenantDeletionService } from '../src/deletion/tenant-deletion.service.js';
import { TenantEntity } from '../src/tenants/tenant.entity.js';
import { UserEntity } from '../src/tenants/user.entity.js';

/** A producer that refuses every job while `down`, as when Redis is unreachable; records the rest. */
class FlakyProducer {
  down = true;
  readonly queued: { queue: string; tenantId: string }[] = [];

  async add(queue: { name: string }, data: { tenantId: string }) {
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
    this.queued.push({ queue: queue.name, tenantId: data.tenantId });
    return {};
  }
}

describe('tenant deletion: the tenants schema and the outbox (real Postgres)', () => {
  let subgraph: SubgraphApp;
  let db: TenantDb;

  beforeAll(async () => {
    subgraph = await startSubgraphApp(AppModule, {
      identitySecret: 'tenants-test-identity-secret-0123456789',
    });
    db = subgraph.app.get(TenantDb);
    // The app's own sweeper would flush the outbox rows these tests look at: only the tests flush.
    subgraph.app.get(TenantDeletionService).onApplicationShutdown();
  });

  afterAll(async () => {
    await subgraph?.close();
  });

  async function tenant(slug: string) {
    const id = randomUUID();
    await db.system(async (m) => {
      await m.insert(TenantEntity, { id, name: slug, slug });
      await m.insert(UserEntity, {
        tenantId: id,
        email: `owner@${slug}.example`,
        passwordHash: 'x',
        role: 'owner',
      });
    });
    return { tenantId: id, userId: randomUUID(), role: 'owner' } as unknown as AuthenticatedIdentity;
  }

  it('keeps a deletion in the outbox while jobs cannot be queued, and queues it at the next flush', async () => {
    const identity = await tenant(`outbox-${Date.now()}`);
    const producer = new FlakyProducer();
    const deletion = new TenantDeletionService(
      db,
      producer as unknown as QueueProducer,
      pino({ level: 'silent' }),
    );
    const slug = (await db.system((m) => m.findOneByOrFail(TenantEntity, { id: identity.tenantId }))).slug;

    await deletion.delete(identity, slug);
    // The tenant is gone at once, its members with it; the three jobs wait in the outbox.
    expect(await db.system((m) => m.countBy(TenantEntity, { id: identity.tenantId }))).toBe(0);
    expect(await db.system((m) => m.countBy(UserEntity, { tenantId: identity.tenantId }))).toBe(0);
    const waiting = await db.system((m) => m.findBy(TenantDeletionEntity, { tenantId: identity.tenantId }));
    expect(waiting.map((row) => row.service).sort()).toEqual(['clusters', 'policies', 'telemetry']);
    expect(producer.queued).toEqual([]);

    producer.down = false;
    await deletion.flush();
    expect(
      producer.queued
        .filter((job) => job.tenantId === identity.tenantId)
        .map((job) => job.queue)
        .sort(),
    ).toEqual(
      Object.values(TENANT_DELETED_QUEUES)
        .map((queue) => queue.name)
        .sort(),
    );
    expect(await db.system((m) => m.countBy(TenantDeletionEntity, { tenantId: identity.tenantId }))).toBe(0);
  });

  it('refuses a confirmation that is not the slug, and deletes nothing', async () => {
    const identity = await tenant(`kept-${Date.now()}`);
    const producer = new FlakyProducer();
    producer.down = false;
    const deletion = new TenantDeletionService(
      db,
      producer as unknown as QueueProducer,
      pino({ level: 'silent' }),
    );
    await expect(deletion.delete(identity, 'someone-else')).rejects.toThrow(/type the tenant's slug/);
    expect(await db.system((m) => m.countBy(TenantEntity, { id: identity.tenantId }))).toBe(1);
    expect(await db.system((m) => m.countBy(TenantDeletionEntity, { tenantId: identity.tenantId }))).toBe(0);
    expect(producer.queued).toEqual([]);
  });
});
