import { randomUUID } from 'node:crypto';
import { CONFIG_PUBLISHED_CHANNEL, type TenantInventory } from '@meshplane/events';
import { Metrics, TenantDb } from '@meshplane/platform';
import type { PodObject } from '@meshplane/protocol';
import { createTestDatabase, TEST_REDIS_URL, uniqueRedisPrefix } from '@meshplane/testing';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  BundleContentEntity,
  ClusterBundleEntity,
  ClusterConfigEntity,
  CompileRequestEntity,
} from '../src/bundles/bundle.entities.js';
import { BundleCompilerService } from '../src/bundles/bundle-compiler.service.js';
import { ClusterConfigsService } from '../src/bundles/cluster-configs.service.js';
import { CompileTrigger } from '../src/bundles/compile-trigger.js';
import { ClustersInventoryClient } from '../src/clients/clusters-inventory.client.js';
import { PolicyEntity } from '../src/policies/policy.entity.js';
import { TierEntity } from '../src/tiers/tier.entity.js';
import { WorkerModule } from '../src/worker.module.js';

// Fresh cluster ids per test (cluster ids are unique across tenants, as the clusters service makes them).
let EU: string;
let US: string;
let ASIA: string;

function pod(name: string, ip: string, labels: Record<string, string>): PodObject {
  return {
    kind: 'pod',
    namespace: 'shop',
    name,
    labels,
    ips: [ip],
    nodeName: 'node-1',
    serviceAccount: 'default',
    ready: true,
    phase: 'Running',
  };
}

/** The clusters service, as the worker sees it: set per test. */
class FakeInventory {
  current: TenantInventory = { clusters: [], objects: [] };
  async tenantInventory(): Promise<TenantInventory> {
    return structuredClone(this.current);
  }
}

describe('bundle compilation and storage (policies worker, real Postgres)', () => {
  let app: INestApplication;
  let drop: () => Promise<void>;
  let db: TenantDb;
  let compiler: BundleCompilerService;
  let trigger: CompileTrigger;
  let configs: ClusterConfigsService;
  const inventory = new FakeInventory();
  let tenantId: string;

  const versions = async () =>
    Object.fromEntries(
      (
        await db.tenant(tenantId, (m) =>
          m.find(ClusterBundleEntity, { where: { tenantId }, order: { clusterId: 'ASC', version: 'ASC' } }),
        )
      ).reduce((byCluster, row) => {
        byCluster.set(row.clusterId, [...(byCluster.get(row.clusterId) ?? []), row.version]);
        return byCluster;
      }, new Map<string, number[]>()),
    );
  const request = (changeId?: string) =>
    db.tenant(tenantId, (m) => trigger.record(m, tenantId, 'test', changeId));
  const addPolicy = (name: string, clusterSelector: string, destination: string) =>
    db.tenant(tenantId, (m) =>
      m.insert(PolicyEntity, {
        id: randomUUID(),
        tenantId,
        kind: 'GlobalNetworkPolicy',
        namespace: '',
        name,
        tier: 'security',
        staged: false,
        version: 1,
        spec: {
          tier: 'security',
          selector: "app == 'frontend'",
          clusterSelector,
          types: ['Egress'],
          egress: [{ action: 'Allow', destination: { selector: destination } }],
        },
      }),
    );

  beforeAll(async () => {
    const database = await createTestDatabase();
    Object.assign(process.env, {
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: uniqueRedisPrefix(),
      INTERNAL_IDENTITY_SECRET: 'bundle-compiler-test-secret-0123456789',
      LOG_LEVEL: 'silent',
    });
    const moduleRef = await Test.createTestingModule({ imports: [WorkerModule] })
      .overrideProvider(ClustersInventoryClient)
      .useValue(inventory)
      .compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    drop = database.drop;
    db = app.get(TenantDb);
    compiler = app.get(BundleCompilerService);
    trigger = app.get(CompileTrigger);
    configs = app.get(ClusterConfigsService);
  });

  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  beforeEach(async () => {
    tenantId = randomUUID();
    [EU, US, ASIA] = [randomUUID(), randomUUID(), randomUUID()];
    inventory.current = {
      clusters: [
        { id: EU, name: 'eu-west-1', labels: { geo: 'eu' } },
        { id: US, name: 'us-east-1', labels: { geo: 'us' } },
        { id: ASIA, name: 'ap-south-1', labels: { geo: 'asia' } },
      ],
      objects: [
        { clusterId: EU, object: pod('db-0', '10.1.0.10', { app: 'db' }) },
        { clusterId: US, object: pod('frontend-0', '10.3.0.20', { app: 'frontend' }) },
      ],
    };
    await db.tenant(tenantId, (m) =>
      m.insert(TierEntity, { tenantId, name: 'security', order: 100, defaultAction: 'Deny' }),
    );
  });

  it('reports the depth of the queues the worker consumes', async () => {
    const text = await app.get(Metrics).registry.metrics();
    for (const queue of ['compile', 'config-result', 'inventory-changed', 'cluster-changed']) {
      expect(text).toMatch(
        new RegExp(`meshplane_queue_jobs\\{[^}]*queue="${queue}"[^}]*state="waiting"[^}]*\\} \\d+`),
      );
    }
  });

  it('stores a first version per cluster, and no new one when nothing changed', async () => {
    const first = await compiler.compile(tenantId, await request());
    expect(first?.published.map((p) => p.version)).toEqual([1, 1, 1]);
    const again = await compiler.compile(tenantId, await request());
    expect(again?.published).toEqual([]);
    expect(await versions()).toEqual({ [EU]: [1], [US]: [1], [ASIA]: [1] });
    // Consumed requests are gone; a job for one of them does nothing.
    expect(await db.tenant(tenantId, (m) => m.count(CompileRequestEntity, { where: { tenantId } }))).toBe(0);
  });

  it('gives a new version, carrying the change id, only to the clusters whose bundle changed', async () => {
    await compiler.compile(tenantId, await request());
    await addPolicy('to-eu-db', "geo == 'us'", "meshplane.io/cluster == 'eu-west-1' && app == 'db'");
    const changeId = randomUUID();
    const outcome = await compiler.compile(tenantId, await request(changeId));
    expect(outcome?.published).toEqual([{ clusterId: US, version: 2 }]);
    const [bundle] = await db.tenant(tenantId, (m) =>
      m.find(ClusterBundleEntity, { where: { clusterId: US, version: 2 } }),
    );
    expect(bundle!.changeIds).toEqual([changeId]);
    const content = await db.tenant(tenantId, (m) =>
      m.findOneByOrFail(BundleContentEntity, { tenantId, hash: bundle!.hash }),
    );
    expect(content.objects.map((o) => o.kind)).toEqual(['Tier', 'GlobalNetworkSet', 'GlobalNetworkPolicy']);

    // An inventory change elsewhere that no selector matches changes nothing.
    inventory.current.objects.push({ clusterId: ASIA, object: pod('db-9', '10.9.0.9', { app: 'db' }) });
    expect((await compiler.compile(tenantId, await request()))?.published).toEqual([]);
    // One the selector matches reaches the US cluster only.
    inventory.current.objects.push({ clusterId: EU, object: pod('db-1', '10.1.0.11', { app: 'db' }) });
    expect((await compiler.compile(tenantId, await request()))?.published).toEqual([
      { clusterId: US, version: 3 },
    ]);
  });

  it('announces new versions on Redis with the diff from the previous version, shared by clusters that got the same one', async () => {
    await compiler.compile(tenantId, await request());
    const subscriber = new Redis(TEST_REDIS_URL);
    const messages: unknown[] = [];
    const name = `${process.env.REDIS_PREFIX}:${CONFIG_PUBLISHED_CHANNEL.name}`;
    await subscriber.subscribe(name);
    subscriber.on('message', (_channel, raw: string) => messages.push(JSON.parse(raw)));
    try {
      inventory.current.clusters[2]!.labels = { geo: 'us' }; // ASIA joins the US policy's targets
      await addPolicy('to-eu-db', "geo == 'us'", "app == 'db'");
      await compiler.compile(tenantId, await request());
      const started = Date.now();
      while (messages.length === 0 && Date.now() - started < 5_000)
        await new Promise((r) => setTimeout(r, 10));
      const announcement = CONFIG_PUBLISHED_CHANNEL.schema.parse(messages[0]);
      const byCluster = new Map(announcement.versions.map((v) => [v.clusterId, v]));
      expect([...byCluster.keys()].sort()).toEqual([US, ASIA].sort());
      const us = byCluster.get(US)!;
      expect(us).toMatchObject({ version: 2, baseVersion: 1 });
      expect(byCluster.get(ASIA)!.diff).toBe(us.diff);
      expect(Object.keys(announcement.diffs)).toEqual([us.diff]);
      expect(announcement.diffs[us.diff!]!.upserts.map((o) => o.kind)).toEqual([
        'Tier',
        'GlobalNetworkSet',
        'GlobalNetworkPolicy',
      ]);
    } finally {
      await subscriber.quit();
    }
  });

  it('compiles a request whose transaction committed after a later one was compiled', async () => {
    await compiler.compile(tenantId, await request());
    // Transaction A takes a request id, then B takes a higher one and commits first.
    let releaseA!: () => void;
    const aHolds = new Promise<void>((resolve) => {
      releaseA = resolve;
    });
    let aId!: number;
    let aRecorded!: () => void;
    const aHasId = new Promise<void>((resolve) => {
      aRecorded = resolve;
    });
    const a = db.tenant(tenantId, async (m) => {
      aId = await trigger.record(m, tenantId, 'late');
      aRecorded();
      await aHolds;
      await m.insert(PolicyEntity, {
        id: randomUUID(),
        tenantId,
        kind: 'GlobalNetworkPolicy',
        namespace: '',
        name: 'late',
        tier: 'security',
        staged: false,
        version: 1,
        spec: { tier: 'security', selector: 'all()', clusterSelector: "geo == 'asia'", types: ['Ingress'] },
      });
    });
    await aHasId;
    const bId = await request();
    expect(bId).toBeGreaterThan(aId);
    await compiler.compile(tenantId, bId);
    releaseA();
    await a;
    // A's job comes late, with the lower id: it still compiles A's change.
    const outcome = await compiler.compile(tenantId, aId);
    expect(outcome?.published).toEqual([{ clusterId: ASIA, version: 2 }]);
  });

  it('stores equal bundles once, and forgets contents no version refers to any more', async () => {
    await compiler.compile(tenantId, await request());
    const contents = () =>
      db.tenant(tenantId, (m) =>
        m.find(BundleContentEntity, { where: { tenantId }, select: { hash: true } }),
      );
    // Three clusters, all with the same empty bundle: one content row.
    expect(await contents()).toHaveLength(1);
    inventory.current.clusters = inventory.current.clusters.map((c) => ({ ...c, labels: { geo: 'us' } }));
    await addPolicy('to-eu-db', "geo == 'us'", "app == 'frontend'");
    await compiler.compile(tenantId, await request());
    // All three get the policy; the EU and Asia clusters also a network set for the US frontend
    // pod (its own cluster leaves it out): EU and Asia share one content, the US has another, and
    // the empty version 1 still has its own.
    const hashes = (await contents()).map((c) => c.hash);
    expect(hashes).toHaveLength(3);
    const versions = await db.tenant(tenantId, (m) => m.find(ClusterBundleEntity, { where: { tenantId } }));
    expect(new Set(versions.map((v) => v.hash))).toEqual(new Set(hashes));
    // Deleting every cluster leaves no content behind.
    inventory.current.clusters = [];
    await compiler.compile(tenantId, await request());
    expect(await contents()).toEqual([]);
  });

  it('never writes a version twice when compiles of one tenant run at once', async () => {
    await addPolicy('to-eu-db', "geo == 'us'", "app == 'db'");
    const ids = await Promise.all([request(), request(), request()]);
    await Promise.all(ids.map((id) => compiler.compile(tenantId, id)));
    expect(await versions()).toEqual({ [EU]: [1], [US]: [1], [ASIA]: [1] });
  });

  it('forgets clusters that were deleted or revoked', async () => {
    await compiler.compile(tenantId, await request());
    inventory.current.clusters = inventory.current.clusters.filter((c) => c.id !== ASIA);
    await compiler.compile(tenantId, await request());
    expect(Object.keys(await versions()).sort()).toEqual([EU, US].sort());
    expect((await configs.configs(tenantId, [ASIA]))[0]).toBeNull();
  });

  it('answers the hub with a diff on top of a stored base, the full bundle otherwise, nothing when up to date', async () => {
    await compiler.compile(tenantId, await request());
    await addPolicy('to-eu-db', "geo == 'us'", "app == 'db'");
    await compiler.compile(tenantId, await request());
    const ask = (appliedVersion: number, full = false) =>
      configs.pushFor({ tenantId, clusterId: US, appliedVersion, full });
    const diff = await ask(1);
    expect(diff.desiredVersion).toBe(2);
    expect(diff.push).toMatchObject({ mode: 'diff', version: 2, baseVersion: 1, deletes: [] });
    expect(diff.push?.mode === 'diff' && diff.push.upserts.map((o) => o.kind)).toEqual([
      'Tier',
      'GlobalNetworkSet',
      'GlobalNetworkPolicy',
    ]);
    expect((await ask(0)).push).toMatchObject({ mode: 'full', version: 2 });
    expect((await ask(1, true)).push).toMatchObject({ mode: 'full', version: 2 });
    expect(await ask(2)).toEqual({ desiredVersion: 2 });
    // An agent ahead of the store (a restored database): the latest content again, above its version.
    const ahead = await ask(7);
    expect(ahead).toMatchObject({ desiredVersion: 8, push: { mode: 'full', version: 8 } });
    expect(ahead.push?.mode === 'full' && ahead.push.objects).toEqual(
      diff.push?.mode === 'diff' && diff.push.upserts,
    );
    expect(await ask(8)).toEqual({ desiredVersion: 8 });
    expect((await configs.configs(tenantId, [US]))[0]).toMatchObject({ desiredVersion: 8 });
    // Another tenant's cluster is unknown to this tenant.
    expect(
      await configs.pushFor({ tenantId: randomUUID(), clusterId: US, appliedVersion: 0, full: false }),
    ).toEqual({
      desiredVersion: 0,
    });
  });

  it('records agent results in order: the applied version only grows and failures show', async () => {
    await compiler.compile(tenantId, await request());
    await addPolicy('to-eu-db', "geo == 'us'", "app == 'db'");
    await compiler.compile(tenantId, await request());
    const report = (version: number, complete: boolean, clusterId = US) => ({
      tenantId,
      clusterId,
      epoch: 1,
      version,
      complete,
      counts: { applied: 0, unchanged: 0, pruned: 0, failed: complete ? 0 : 1 },
      failures: complete
        ? []
        : [
            {
              kind: 'GlobalNetworkPolicy' as const,
              name: 'security.to-eu-db',
              result: 'failed' as const,
              message: 'denied',
            },
          ],
      at: new Date().toISOString(),
    });
    const result = (version: number, complete: boolean) => configs.recordResults([report(version, complete)]);
    await result(1, true);
    expect((await configs.configs(tenantId, [US]))[0]).toMatchObject({
      desiredVersion: 2,
      appliedVersion: 1,
      state: 'pending',
    });
    await result(2, false);
    expect((await configs.configs(tenantId, [US]))[0]).toMatchObject({
      appliedVersion: 1,
      state: 'failed',
      errors: [
        { kind: 'GlobalNetworkPolicy', name: 'security.to-eu-db', message: 'denied', namespace: null },
      ],
    });
    await result(2, true);
    await result(1, true); // late and older: ignored
    expect((await configs.configs(tenantId, [US]))[0]).toMatchObject({
      appliedVersion: 2,
      state: 'applied',
      errors: [],
    });
    const row = await db.tenant(tenantId, (m) => m.findOneByOrFail(ClusterConfigEntity, { clusterId: US }));
    expect(row.resultVersion).toBe(2);
    // One batch for several clusters (and two reports of one cluster: the newer wins).
    await configs.recordResults([report(2, true, EU), report(1, true, ASIA), report(2, false, EU)]);
    // Read back in one query, in the order asked, null for a cluster with none.
    const [eu, asia, none] = await configs.configs(tenantId, [EU, ASIA, randomUUID()]);
    expect(eu).toMatchObject({ state: 'failed', appliedVersion: 0 });
    expect(asia).toMatchObject({ state: 'applied', appliedVersion: 1 });
    expect(none).toBeNull();
    // A report naming another tenant changes nothing of this one's clusters (the statement names
    // the tenant it writes, and row-level security backs it).
    await configs.recordResults([{ ...report(2, true, EU), tenantId: randomUUID() }]);
    expect((await configs.configs(tenantId, [EU]))[0]).toMatchObject({ state: 'failed', appliedVersion: 0 });
  });

  it("shows a cluster's current bundle as objects and YAML, and nothing of another tenant's cluster", async () => {
    await compiler.compile(tenantId, await request());
    await addPolicy('to-eu-db', "geo == 'us'", "meshplane.io/cluster == 'eu-west-1' && app == 'db'");
    await compiler.compile(tenantId, await request());
    const received = await configs.received(tenantId, US);
    expect(received.version).toBe(2);
    const objects = received.objects as { kind: string; metadata: { name: string } }[];
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Tier/security',
      expect.stringMatching(/^GlobalNetworkSet\//),
      'GlobalNetworkPolicy/security.to-eu-db',
    ]);
    // The YAML is the same objects, document by document.
    expect(parseAllDocuments(received.yaml).map((doc) => doc.toJS())).toEqual(received.objects);
    // The policy's selector picks the US cluster only: the EU cluster's bundle is still empty.
    const eu = await configs.received(tenantId, EU);
    expect(eu).toMatchObject({ version: 1, objects: [], yaml: '' });

    await expect(configs.received(randomUUID(), US)).rejects.toMatchObject({
      reason: 'CLUSTER_CONFIG_NOT_FOUND',
    });
    await expect(configs.received(tenantId, 'not-an-id')).rejects.toMatchObject({
      reason: 'CLUSTER_CONFIG_NOT_FOUND',
    });
  });
});
