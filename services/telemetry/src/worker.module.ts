import { TELEMETRY_QUEUE } from '@meshplane/events';
import { CONFIG, handler, PlatformModule, queueWorkers } from '@meshplane/platform';
import { Module } from '@nestjs/common';
import { type TelemetryConfig, telemetryConfigSchema } from './config.js';
import { telemetryEntities } from './entities.js';
import { FlowIngestService } from './flows/flow-ingest.service.js';
import { FlowPartitions } from './flows/flow-partitions.js';
import { PeerDirectory } from './flows/peer-directory.js';
import { TelemetrySettingsService } from './settings/telemetry-settings.service.js';

/** The telemetry worker process: flow batches from the agent hub into `telemetry.flows`. */
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
    queueWorkers(
      'telemetry',
      [TELEMETRY_QUEUE],
      (ingest: FlowIngestService, config: TelemetryConfig) => [
        handler(
          TELEMETRY_QUEUE,
          async (job) => void (await ingest.ingest(job)),
          config.FLOW_INGEST_CONCURRENCY,
        ),
      ],
      [FlowIngestService, CONFIG],
    ),
  ],
})
export class WorkerModule {}
