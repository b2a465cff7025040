import { CONFIG_PUBLISHED_CHANNEL, type CompileJob, type TenantInventory } from '@meshplane/events';
import { CONFIG, channel, InjectLogger, type Logger, Metrics, REDIS, TenantDb } from '@meshplane/platform';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { Redis } from 'ioredis';
import { Histogram } from 'prom-client';
import { In, Not } from 'typeorm';
import { CompilerError } from '../compiler/compiler.errors.js';
import { compileBundles } from '../compiler/federation-compiler.js';
import type { PoliciesConfig } from '../config.js';
import { ClustersInventoryClient } from '../inventory/clusters-inventory.client.js';
import {
  ClusterBundleEntity,
  ClusterConfigEntity,
  CompileRequestEntity,
  ConfigChangeEntity,
} from './bundle.entities.js';
import { loadCompilerInput } from './compile-input.js';
import { CompileTrigger } from './compile-trigger.js';

/** Versions kept per cluster (older ones are deleted; a diff needs its base among them). */
export const BUNDLE_VERSIONS_KEPT = 20;

/** How often the worker looks for compile requests whose job was lost (e.g. Redis was down). */
const SWEEP_INTERVAL_MS = 10_000;

export interface CompileOutcome {
  /** The newest request the stored bundles now reflect. */
  compiledRequestId: number;
  /** New versions written, by cluster. */
  published: { clusterId: string; version: number }[];
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
      if (error instanceof CompilerError) {
        // Stored policies that cannot compile are a bug, not a transient fault: record, do not retry.
        await this.recordError(job.tenantId, `${error.code}: ${error.message}`);
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
      const published = await this.store(m, tenantId, inventory, changeIds);
      const compiledRequestId = Math.max(...requests.map((r) => Number(r.id)));
      await m.delete(CompileRequestEntity, { tenantId, id: In(requests.map((r) => r.id)) });
      if (changeIds.length > 0) {
        await m.update(ConfigChangeEntity, { tenantId, changeId: In(changeIds) }, { compiledAt: new Date() });
      }
      await m.query(
        `INSERT INTO policies.compile_states (tenant_id, compiled_request_id, compiled_at, last_error)
         VALUES ($1, $2, now(), NULL)
         ON CONFLICT (tenant_id) DO UPDATE SET compiled_request_id = GREATEST(compile_states.compiled_request_id,
           EXCLUDED.compiled_request_id), compiled_at = now(), last_error = NULL`,
        [tenantId, compiledRequestId],
      );
      return { compiledRequestId, published };
    });
    if (outcome) await this.publish(outcome.published);
    return outcome;
  }

  private async store(
    m: Parameters<Parameters<TenantDb['tenant']>[1]>[0],
    tenantId: string,
    inventory: TenantInventory,
    changeIds: string[],
  ): Promise<CompileOutcome['published']> {
    const bundles = compileBundles(await loadCompilerInput(m, tenantId, inventory));
    const latest = new Map<string, { version: number; hash: string }>(
      (
        (await m.query(
          `SELECT DISTINCT ON (cluster_id) cluster_id, version, hash FROM policies.cluster_bundles
            WHERE tenant_id = $1 ORDER BY cluster_id, version DESC`,
          [tenantId],
        )) as { cluster_id: string; version: number; hash: string }[]
      ).map((row) => [row.cluster_id, { version: row.version, hash: row.hash }]),
    );
    const published: CompileOutcome['published'] = [];
    const rows: { hash: string; objects: string }[] = [];
    for (const [clusterId, bundle] of bundles) {
      const previous = latest.get(clusterId);
      if (previous?.hash === bundle.hash) continue;
      published.push({ clusterId, version: (previous?.version ?? 0) + 1 });
      rows.push({ hash: bundle.hash, objects: JSON.stringify(bundle.objects) });
    }
    if (published.length > 0) {
      // Set-based writes: one change may give a thousand clusters a new version.
      const clusterIds = published.map((p) => p.clusterId);
      const versions = published.map((p) => p.version);
      await m.query(
        `INSERT INTO policies.cluster_bundles (cluster_id, version, tenant_id, hash, objects, change_ids)
         SELECT c, v, $3, h, o, $6::uuid[] FROM unnest($1::uuid[], $2::int[], $4::text[], $5::jsonb[]) AS n(c, v, h, o)`,
        [clusterIds, versions, tenantId, rows.map((r) => r.hash), rows.map((r) => r.objects), changeIds],
      );
      await m.query(
        `INSERT INTO policies.cluster_configs (cluster_id, tenant_id, desired_version)
         SELECT c, $3, v FROM unnest($1::uuid[], $2::int[]) AS n(c, v)
         ON CONFLICT (cluster_id) DO UPDATE SET desired_version = EXCLUDED.desired_version, updated_at = now()`,
        [clusterIds, versions, tenantId],
      );
      await m.query(
        `DELETE FROM policies.cluster_bundles b USING unnest($1::uuid[], $2::int[]) AS n(c, v)
          WHERE b.cluster_id = n.c AND b.version <= n.v - $3`,
        [clusterIds, versions, BUNDLE_VERSIONS_KEPT],
      );
    }
    // Clusters that were deleted or revoked: nothing is pushed to them any more.
    const live = [...bundles.keys()];
    const gone = { tenantId, ...(live.length > 0 ? { clusterId: Not(In(live)) } : {}) };
    await m.delete(ClusterConfigEntity, gone);
    await m.delete(ClusterBundleEntity, gone);
    return published;
  }

  private async publish(published: CompileOutcome['published']): Promise<void> {
    if (published.length === 0) return;
    const name = channel(this.config.REDIS_PREFIX, CONFIG_PUBLISHED_CHANNEL.name);
    // Best effort: a hub that misses it still finds the version on its periodic re-check.
    await this.redis
      .publish(name, JSON.stringify({ versions: published }))
      .catch((error: unknown) => this.logger.warn({ err: error }, 'could not announce config versions'));
    this.logger.info({ clusters: published.length }, 'config versions published');
  }

  private async recordError(tenantId: string, message: string): Promise<void> {
    this.logger.error({ tenantId, message }, 'compile failed');
    await this.db
      .tenant(tenantId, (m) =>
        m.query(
          `INSERT INTO policies.compile_states (tenant_id, compiled_request_id, compiled_at, last_error)
           VALUES ($1, 0, now(), $2) ON CONFLICT (tenant_id) DO UPDATE SET last_error = EXCLUDED.last_error`,
          [tenantId, message.slice(0, 1000)],
        ),
      )
      .catch(() => {});
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
