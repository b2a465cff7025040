import { HTTP_TELEMETRY_QUEUE, QUEUES, TELEMETRY_QUEUE, TENANT_DELETED_QUEUES } from '@meshplane/events';
import {
  CONFIG,
  handler,
  LOGGER,
  type Logger,
  PlatformModule,
  QueueProducer,
  queueWorkers,
  TenantDb,
  tenantPurgeHandler,
} from '@meshplane/platform';
import { Module } from '@nestjs/common';
import { type TelemetryConfig, telemetryConfigSchema } from './config.js';
import { telemetryEntities } from './entities.js';
import { FlowIngestService } from './flows/flow-ingest.service.js';
import { FlowPartitions } from './flows/flow-partitions.js';
import { purgeTenantTelemetry } from './flows/flow-store.js';
import { PeerDirectory } from './flows/peer-directory.js';
import { HttpIngestService } from './http/http-ingest.service.js';
import { TelemetrySettingsService } from './settings/telemetry-settings.service.js';

/**
 * The telemetry worker process: flow batches from the agent hub into `telemetry.flows`, HTTP record
 * batches into `telemetry.http_requests`; a deleted tenant's telemetry out.
 */
@Module({
  imports: [
    PlatformModule.forRoot({
      service: 'telemetry-worker',
      configSchema: telemetryConfigSchema,
      database: { schema: 'telemetry', entities: telemetryEntities },
    }),
  ],
  providers: [
    TelemetrySettingsService,
    FlowPartitions,
    PeerDirectory,
    FlowIngestService,
    HttpIngestService,
    queueWorkers(
      'telemetry',
      QUEUES,
      (
        ingest: FlowIngestService,
        httpIngest: HttpIngestService,
        config: TelemetryConfig,
        db: TenantDb,
        producer: QueueProducer,
        logger: Logger,
      ) => [
        handler(
          TELEMETRY_QUEUE,
          async (job) => void (await ingest.ingest(job)),
          config.FLOW_INGEST_CONCURRENCY,
        ),
        handler(
          HTTP_TELEMETRY_QUEUE,
          async (job) => void (await httpIngest.ingest(job)),
          config.FLOW_INGEST_CONCURRENCY,
        ),
        tenantPurgeHandler(TENANT_DELETED_QUEUES.telemetry, {
          purge: (tenantId) => db.tenant(tenantId, (m) => purgeTenantTelemetry(m, tenantId)),
          producer,
          finalSweepMs: config.TENANT_PURGE_FINAL_SWEEP_MS,
          logger,
        }),
      ],
      [FlowIngestService, HttpIngestService, CONFIG, TenantDb, QueueProducer, LOGGER],
    ),
  ],
})
export class WorkerModule {}
