import type { TelemetryJob } from '@meshplane/events';
import { CONFIG, InjectLogger, type Logger, Metrics, TenantDb } from '@meshplane/platform';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Counter } from 'prom-client';
import type { TelemetryConfig } from '../config.js';
import { TelemetrySettingsService } from '../settings/telemetry-settings.service.js';
import { enrichFlow, type FlowRow, remotePeerIps } from './flow-enricher.js';
import { dayOf, FlowPartitions } from './flow-partitions.js';
import { insertFlowRows, recordFlowDrops } from './flow-store.js';
import { PeerDirectory, type PeerResolver } from './peer-directory.js';

export interface IngestResult {
  /** Rows new in storage. */
  stored: number;
  /** Records already stored (a re-sent batch). */
  duplicates: number;
  /** Records older than the tenant's retention, or too far in the future: not stored. */
  skipped: number;
}

/** Records at most this far ahead of the worker's clock are stored (agents' clocks drift). */
const MAX_FUTURE_SECONDS = 2 * 86_400;
const SETTINGS_CACHE_MS = 60_000;

/**
 * The `telemetry` queue's handler: enriches a batch's records, makes sure their day partitions
 * exist, and writes them in one statement, idempotent by (cluster, seq). A job that fails (the
 * database is away) is retried by BullMQ; what it had stored stays stored, the retry adds the rest.
 */
@Injectable()
export class FlowIngestService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly retention = new Map<string, { days: number; until: number }>();
  private readonly storedCounter: Counter;
  private readonly duplicateCounter: Counter;
  private readonly skippedCounter: Counter;
  private readonly droppedCounter: Counter;
  private maintenanceTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: TenantDb,
    private readonly partitions: FlowPartitions,
    private readonly settings: TelemetrySettingsService,
    @Inject(PeerDirectory) private readonly peers: PeerResolver,
    @Inject(CONFIG) private readonly config: TelemetryConfig,
    @InjectLogger() private readonly logger: Logger,
    metrics: Metrics,
  ) {
    const registers = [metrics.registry];
    this.storedCounter = new Counter({
      name: 'meshplane_flows_stored_total',
      help: 'Flow rows stored',
      registers,
    });
    this.duplicateCounter = new Counter({
      name: 'meshplane_flows_duplicates_total',
      help: 'Re-sent flow records already stored',
      registers,
    });
    this.skippedCounter = new Counter({
      name: 'meshplane_flows_skipped_total',
      help: 'Flow records outside retention or too far in the future',
      registers,
    });
    this.droppedCounter = new Counter({
      name: 'meshplane_flows_dropped_by_agents_total',
      help: 'Flow records agents dropped from a full buffer (as reported in batches)',
      registers,
    });
  }

  onApplicationBootstrap() {
    const run = () =>
      this.partitions
        .maintain(Date.now(), this.config.FLOW_PARTITIONS_AHEAD_DAYS)
        .catch((error: unknown) => this.logger.error({ err: error }, 'flow partition maintenance failed'));
    void run();
    this.maintenanceTimer = setInterval(run, this.config.FLOW_MAINTENANCE_INTERVAL_MS);
    this.maintenanceTimer.unref();
  }

  onApplicationShutdown() {
    clearInterval(this.maintenanceTimer);
  }

  async ingest(job: TelemetryJob, now = Date.now()): Promise<IngestResult> {
    if (job.dropped > 0) {
      this.droppedCounter.inc(job.dropped);
      this.logger.warn(
        { tenantId: job.tenantId, clusterId: job.clusterId, dropped: job.dropped },
        'the agent dropped flow records from a full buffer',
      );
    }
    const nowSeconds = Math.floor(now / 1_000);
    const retentionDays = await this.retentionDays(job.tenantId, now);
    const oldest = nowSeconds - retentionDays * 86_400;
    const kept = job.records.filter(
      (record) => record.startTime >= oldest && record.startTime <= nowSeconds + MAX_FUTURE_SECONDS,
    );
    const addresses = remotePeerIps(kept);
    const context = {
      tenantId: job.tenantId,
      clusterId: job.clusterId,
      clusterName: job.clusterName,
      peers: addresses.length > 0 ? await this.peers.resolve(job.tenantId, addresses) : undefined,
    };
    const rows: FlowRow[] = kept.map((record) => enrichFlow(record, context));
    const skipped = job.records.length - rows.length;
    await this.partitions.ensure(rows.map((row) => dayOf(row.startTime)));
    const stored = await this.db.tenant(job.tenantId, async (manager) => {
      if (job.dropped > 0) {
        const { tenantId, clusterId, fromSeq, dropped } = job;
        await recordFlowDrops(manager, { tenantId, clusterId, fromSeq, dropped, at: new Date(now) });
      }
      return insertFlowRows(manager, rows);
    });
    const result = { stored, duplicates: rows.length - stored, skipped };
    this.storedCounter.inc(stored);
    this.duplicateCounter.inc(result.duplicates);
    this.skippedCounter.inc(skipped);
    return result;
  }

  private async retentionDays(tenantId: string, now: number): Promise<number> {
    const cached = this.retention.get(tenantId);
    if (cached !== undefined && cached.until > now) return cached.days;
    const { retentionDays } = await this.settings.get(tenantId);
    this.retention.set(tenantId, { days: retentionDays, until: now + SETTINGS_CACHE_MS });
    return retentionDays;
  }
}
