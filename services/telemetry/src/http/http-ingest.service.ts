import type { HttpTelemetryJob } from '@meshplane/events';
import { InjectLogger, type Logger, Metrics, TenantDb } from '@meshplane/platform';
import { Inject, Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { dayOf, FlowPartitions } from '../flows/flow-partitions.js';
import { PeerDirectory, type PeerResolver } from '../flows/peer-directory.js';
import { TelemetrySettingsService } from '../settings/telemetry-settings.service.js';
import { enrichHttpRequest, httpRecordIps } from './http-enricher.js';
import { insertHttpRequestRows } from './http-request-store.js';

export interface HttpIngestResult {
  stored: number;
  duplicates: number;
  /** Outside the tenant's retention or too far in the future. */
  skipped: number;
}

const MAX_FUTURE_MS = 2 * 86_400_000;

/**
 * The `telemetry-http` queue's handler: both ends of each HTTP record joined to the pods holding
 * their addresses (`PeerDirectory`, the same lookup and cache as flow peers), the day partitions
 * made sure of, then one insert, idempotent by (cluster, seq). A failed job is retried by BullMQ.
 */
@Injectable()
export class HttpIngestService {
  private readonly stored: Counter;
  private readonly duplicates: Counter;
  private readonly skipped: Counter;
  private readonly dropped: Counter;

  constructor(
    private readonly db: TenantDb,
    private readonly partitions: FlowPartitions,
    private readonly settings: TelemetrySettingsService,
    @Inject(PeerDirectory) private readonly peers: PeerResolver,
    @InjectLogger() private readonly logger: Logger,
    metrics: Metrics,
  ) {
    const registers = [metrics.registry];
    this.stored = new Counter({
      name: 'meshplane_http_requests_stored_total',
      help: 'HTTP rows stored',
      registers,
    });
    this.duplicates = new Counter({
      name: 'meshplane_http_requests_duplicates_total',
      help: 'Re-sent HTTP records already stored',
      registers,
    });
    this.skipped = new Counter({
      name: 'meshplane_http_requests_skipped_total',
      help: 'HTTP records outside retention or too far in the future',
      registers,
    });
    this.dropped = new Counter({
      name: 'meshplane_http_requests_dropped_by_agents_total',
      help: 'HTTP records agents dropped from a full buffer (as reported in batches)',
      registers,
    });
  }

  async ingest(job: HttpTelemetryJob, now = Date.now()): Promise<HttpIngestResult> {
    if (job.dropped > 0) {
      this.dropped.inc(job.dropped);
      this.logger.warn(
        { tenantId: job.tenantId, clusterId: job.clusterId, dropped: job.dropped },
        'the agent dropped HTTP records from a full buffer',
      );
    }
    const { retentionDays } = await this.settings.get(job.tenantId);
    const oldest = now - retentionDays * 86_400_000;
    const kept = job.records.filter(
      (record) => record.startTime >= oldest && record.startTime <= now + MAX_FUTURE_MS,
    );
    const ips = httpRecordIps(kept);
    const context = {
      tenantId: job.tenantId,
      clusterId: job.clusterId,
      clusterName: job.clusterName,
      peers: ips.length > 0 ? await this.peers.resolve(job.tenantId, ips) : new Map(),
    };
    const rows = kept.map((record) => enrichHttpRequest(record, context));
    await this.partitions.ensure(
      rows.map((row) => dayOf(Math.floor(row.startTime / 1_000))),
      'http_requests',
    );
    const stored = await this.db.tenant(job.tenantId, (manager) =>
      insertHttpRequestRows(manager, job.tenantId, job.clusterId, rows),
    );
    const result = { stored, duplicates: rows.length - stored, skipped: job.records.length - rows.length };
    this.stored.inc(stored);
    this.duplicates.inc(result.duplicates);
    this.skipped.inc(result.skipped);
    return result;
  }
}
