import { CONFIG_PUBLISHED_CHANNEL, type CompileJob, type TenantInventory } from '@meshplane/events';
import { CONFIG, channel, InjectLogger, type Logger, Metrics, REDIS, TenantDb } from '@meshplane/platform';
import type { ConfigObject } from '@meshplane/protocol';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { Redis } from 'ioredis';
import { Counter, Histogram } from 'prom-client';
import { type EntityManager, In } from 'typeorm';
import { ClustersInventoryClient } from '../clients/clusters-inventory.client.js';
import { sha256Hex } from '../compiler/canonical-json.js';
import { CompilerError } from '../compiler/compiler.errors.js';
import type { PoliciesConfig } from '../config.js';
import { CompileRequestEntity, ConfigChangeEntity } from './bundle.entities.js';
import { bundleDiff } from './bundle-diff.js';
import { loadCompilerInput } from './compile-input.js';
import { CompileTrigger } from './compile-trigger.js';
import { CompilerCache } from './compiler-cache.js';

/** Versions kept per cluster (older ones are deleted; a diff needs its base among them). */
export const BUNDLE_VERSIONS_KEPT = 20;

/** How often the worker looks for compile requests whose job was lost (e.g. Redis was down). */
const SWEEP_INTERVAL_MS = 10_000;

/** Diffs larger than this are not announced (the hub asks for them). */
const MAX_DIFF_BYTES_PER_CLUSTER = 64 * 1024;
/** All diffs of one announcement together stay under this. */
const MAX_ANNOUNCED_DIFF_BYTES = 4 * 1024 * 1024;

/** A new version, and (when announced with it) the diff from the version before. */
interface PublishedVersion {
  clusterId: string;
  version: number;
  baseVersion?: number;
  diff?: string;
}

export interface CompileOutcome {
  /** The newest request the stored bundles now reflect. */
  compiledRequestId: number;
  /** New versions written, by cluster. */
  published: { clusterId: string; version: number }[];
}

/** What the hubs are told: the new versions, with diffs where they are small. */
interface Announcement {
  versions: PublishedVersion[];
  diffs: Map<string, string>;
}

/**
 * Compiles a tenant's bundles and stores a new version for each cluster whose content changed.
 * One compile covers every request up to the newest one seen when it starts; compiles of one
 * tenant are serialised by an advisory lock, and one that finds a newer compile already done
 * stores nothing — so replicas of the worker never double the work or go backwards.
 */
@Injectable()
export class BundleCompilerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private sweeper?: NodeJS.Timeout;
  private readonly duration: Histogram<'outcome'>;
  private readonly compiles: Counter<'mode'>;
  private readonly compilers: CompilerCache;

  constructor(
    private readonly db: TenantDb,
    private readonly inventory: ClustersInventoryClient,
    private readonly trigger: CompileTrigger,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: PoliciesConfig,
    @InjectLogger() private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.duration = new Histogram({
      name: 'meshplane_compile_duration_seconds',
      help: 'Time to compile and store one tenant’s bundles',
      labelNames: ['outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [metrics.registry],
    });
    this.compiles = new Counter({
      name: 'meshplane_compiles_total',
      help: 'Tenant compiles, cold (every cluster) or incremental (only the clusters pod changes affect)',
      labelNames: ['mode'],
      registers: [metrics.registry],
    });
    this.compilers = new CompilerCache(config.COMPILER_CACHE_TENANTS);
  }

  onApplicationBootstrap() {
    if (process.env.MESHPLANE_SCHEMA_OUT) return;
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  onApplicationShutdown() {
    clearInterval(this.sweeper);
  }

  /** The `compile` queue's handler. */
  async handle(job: CompileJob): Promise<void> {
    const stop = this.duration.startTimer();
    try {
      const outcome = await this.compile(job.tenantId, job.requestId);
      stop({ outcome: outcome === undefined ? 'skipped' : 'compiled' });
    } catch (error) {
      stop({ outcome: 'error' });
      this.compilers.drop(job.tenantId);
      if (error instanceof CompilerError) {
        // Stored policies that cannot compile are a bug, not a transient fault: record, do not retry.
        this.logger.error(
          { tenantId: job.tenantId, code: error.code, message: error.message },
          'compile failed',
        );
        throw new UnrecoverableError(error.message);
      }
      throw error;
    }
  }

  /**
   * Compiles the tenant if request `requestId` is still pending. Consumes every request that was
   * committed before the inventory was read (deleting them in the transaction that stores the
   * bundles), so a request is only ever consumed by a compile that saw its change — whatever order
   * concurrent transactions commit in. Returns undefined when another compile already covered it.
   */
  async compile(tenantId: string, requestId: number): Promise<CompileOutcome | undefined> {
    const pending = await this.db.tenant(tenantId, (m) =>
      m.find(CompileRequestEntity, { select: { id: true }, where: { tenantId } }),
    );
    if (!pending.some((request) => Number(request.id) === requestId)) return undefined;
    // Every request read above was committed before this read, so its change is in what we read.
    const inventory = await this.inventory.tenantInventory(tenantId);
    const outcome = await this.db.tenant(tenantId, async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`meshplane:compile:${tenantId}`]);
      const requests = await m.find(CompileRequestEntity, {
        select: { id: true, changeId: true },
        where: { tenantId, id: In(pending.map((request) => request.id)) },
      });
      if (requests.length === 0) return undefined;
      const changeIds = [...new Set(requests.flatMap((r) => (r.changeId ? [r.changeId] : [])))].sort();
      const announcement = await this.store(m, tenantId, inventory, changeIds);
      const compiledRequestId = Math.max(...requests.map((r) => Number(r.id)));
      await m.delete(CompileRequestEntity, { tenantId, id: In(requests.map((r) => r.id)) });
      if (changeIds.length > 0) {
        await m.update(ConfigChangeEntity, { tenantId, changeId: In(changeIds) }, { compiledAt: new Date() });
      }
      return { compiledRequestId, announcement };
    });
    if (!outcome) return undefined;
    await this.publish(outcome.announcement);
    return {
      compiledRequestId: outcome.compiledRequestId,
      published: outcome.announcement.versions.map(({ clusterId, version }) => ({ clusterId, version })),
    };
  }

  private async store(
    m: EntityManager,
    tenantId: string,
    inventory: TenantInventory,
    changeIds: string[],
  ): Promise<Announcement> {
    const compiled = this.compilers.bundles(tenantId, await loadCompilerInput(m, tenantId, inventory));
    this.compiles.inc({ mode: compiled.mode });
    const bundles = compiled.bundles;
    const latest = new Map<string, { version: number; hash: string }>(
      (
        (await m.query(
          `SELECT c.cluster_id, c.desired_version AS version, b.hash FROM policies.cluster_configs c
             JOIN policies.cluster_bundles b ON b.cluster_id = c.cluster_id AND b.version = c.desired_version
            WHERE c.tenant_id = $1`,
          [tenantId],
        )) as { cluster_id: string; version: number; hash: string }[]
      ).map((row) => [row.cluster_id, { version: row.version, hash: row.hash }]),
    );
    const published: PublishedVersion[] = [];
    /** New contents by hash (clusters with equal bundles share one). */
    const contents = new Map<string, readonly ConfigObject[]>();
    const changed: { clusterId: string; previousHash: string; previous: number; hash: string }[] = [];
    for (const [clusterId, bundle] of bundles) {
      const previous = latest.get(clusterId);
      if (previous?.hash === bundle.hash) continue;
      published.push({ clusterId, version: (previous?.version ?? 0) + 1 });
      if (!contents.has(bundle.hash)) contents.set(bundle.hash, bundle.objects as unknown as ConfigObject[]);
      if (previous) {
        changed.push({
          clusterId,
          previousHash: previous.hash,
          previous: previous.version,
          hash: bundle.hash,
        });
      }
    }
    const diffs = await this.attachDiffs(m, tenantId, changed, contents, published);
    if (published.length > 0) {
      // Set-based writes: one change may give a thousand clusters a new version (one content row).
      const hashes = [...contents.keys()];
      await m.query(
        `INSERT INTO policies.bundle_contents (tenant_id, hash, objects)
         SELECT $1, h, o FROM unnest($2::text[], $3::jsonb[]) AS n(h, o) ON CONFLICT DO NOTHING`,
        [tenantId, hashes, hashes.map((hash) => JSON.stringify(contents.get(hash)))],
      );
      const clusterIds = published.map((p) => p.clusterId);
      const versions = published.map((p) => p.version);
      const bundleHashes = clusterIds.map((clusterId) => bundles.get(clusterId)!.hash);
      await m.query(
        `INSERT INTO policies.cluster_bundles (cluster_id, version, tenant_id, hash, change_ids)
         SELECT c, v, $3, h, $5::uuid[] FROM unnest($1::uuid[], $2::int[], $4::text[]) AS n(c, v, h)`,
        [clusterIds, versions, tenantId, bundleHashes, changeIds],
      );
      await m.query(
        `INSERT INTO policies.cluster_configs (cluster_id, tenant_id, desired_version)
         SELECT c, $3, v FROM unnest($1::uuid[], $2::int[]) AS n(c, v)
         ON CONFLICT (cluster_id) DO UPDATE SET desired_version = EXCLUDED.desired_version, updated_at = now()`,
        [clusterIds, versions, tenantId],
      );
      await m.query(
        `DELETE FROM policies.cluster_bundles b USING unnest($1::uuid[], $2::int[]) AS n(c, v)
          WHERE b.tenant_id = $4 AND b.cluster_id = n.c AND b.version <= n.v - $3`,
        [clusterIds, versions, BUNDLE_VERSIONS_KEPT, tenantId],
      );
    }
    // Clusters that were deleted or revoked: nothing is pushed to them any more.
    const live = [...bundles.keys()];
    for (const table of ['cluster_configs', 'cluster_bundles']) {
      await m.query(`DELETE FROM policies.${table} WHERE tenant_id = $1 AND cluster_id <> ALL($2::uuid[])`, [
        tenantId,
        live,
      ]);
    }
    // Contents no version refers to any more (pruned versions, clusters gone).
    await m.query(
      `DELETE FROM policies.bundle_contents c WHERE c.tenant_id = $1 AND NOT EXISTS
         (SELECT 1 FROM policies.cluster_bundles b WHERE b.tenant_id = c.tenant_id AND b.hash = c.hash)`,
      [tenantId],
    );
    return { versions: published, diffs };
  }

  /**
   * Diffs against each cluster's previous version, to travel with the announcement so that a hub
   * pushes without asking back. Identical diffs (one policy change seen by many clusters) are
   * carried once; large ones are left out (the hub then asks for them).
   */
  private async attachDiffs(
    m: EntityManager,
    tenantId: string,
    changed: { clusterId: string; previousHash: string; previous: number; hash: string }[],
    contents: ReadonlyMap<string, readonly ConfigObject[]>,
    published: PublishedVersion[],
  ): Promise<Map<string, string>> {
    const diffs = new Map<string, string>();
    if (changed.length === 0) return diffs;
    const previousHashes = [...new Set(changed.map((c) => c.previousHash))];
    const previous = new Map(
      (
        (await m.query(
          'SELECT hash, objects FROM policies.bundle_contents WHERE tenant_id = $1 AND hash = ANY($2::text[])',
          [tenantId, previousHashes],
        )) as { hash: string; objects: ConfigObject[] }[]
      ).map((row) => [row.hash, row.objects]),
    );
    const byCluster = new Map(published.map((entry) => [entry.clusterId, entry]));
    /** One diff per (previous, new) content pair, whatever the number of clusters that made it. */
    const keyByPair = new Map<string, string | null>();
    let budget = MAX_ANNOUNCED_DIFF_BYTES;
    for (const { clusterId, previousHash, previous: baseVersion, hash } of changed) {
      const pair = `${previousHash}>${hash}`;
      let key = keyByPair.get(pair);
      if (key === undefined) {
        key = null;
        const base = previous.get(previousHash);
        if (base) {
          const json = JSON.stringify(bundleDiff(base, contents.get(hash)!));
          if (json.length <= MAX_DIFF_BYTES_PER_CLUSTER && json.length <= budget) {
            key = sha256Hex(json).slice(0, 16);
            if (!diffs.has(key)) {
              budget -= json.length;
              diffs.set(key, json);
            }
          }
        }
        keyByPair.set(pair, key);
      }
      if (key !== null) Object.assign(byCluster.get(clusterId)!, { baseVersion, diff: key });
    }
    return diffs;
  }

  private async publish({ versions: published, diffs: diffJson }: Announcement): Promise<void> {
    if (published.length === 0) return;
    const name = channel(this.config.REDIS_PREFIX, CONFIG_PUBLISHED_CHANNEL.name);
    // The diffs are already serialised (their size decided whether they travel): spliced in as is.
    const diffs = [...diffJson].map(([key, json]) => `${JSON.stringify(key)}:${json}`).join(',');
    const message = `{"versions":${JSON.stringify(published)},"diffs":{${diffs}}}`;
    // Best effort: a hub that misses it still finds the version on its periodic re-check.
    await this.redis
      .publish(name, message)
      .catch((error: unknown) => this.logger.warn({ err: error }, 'could not announce config versions'));
    this.logger.info({ clusters: published.length }, 'config versions published');
  }

  /** Re-queues compiles whose job was lost or gave up: requests still there after a while. */
  async sweep(): Promise<void> {
    try {
      const rows = (await this.db.system((m) =>
        m.query(
          `SELECT tenant_id, max(id) AS newest FROM policies.compile_requests
            WHERE created_at < now() - interval '5 seconds' GROUP BY tenant_id LIMIT 1000`,
        ),
      )) as { tenant_id: string; newest: string }[];
      for (const row of rows) await this.trigger.enqueue(row.tenant_id, Number(row.newest), 'sweep');
    } catch (error) {
      this.logger.warn({ err: error }, 'compile sweep failed');
    }
  }
}
