import { AGENT_STATUS_QUEUE, INVENTORY_QUEUE, QUEUES, TENANT_DELETED_QUEUES } from '@meshplane/events';
import {
  CONFIG,
  handler,
  LOGGER,
  type Logger,
  PlatformModule,
  QueueProducer,
  queueWorkers,
  tenantPurgeHandler,
} from '@meshplane/platform';
import { Module } from '@nestjs/common';
import { ClustersService } from './clusters/clusters.service.js';
import { PresenceService } from './clusters/presence.service.js';
import { type ClustersConfig, clustersConfigSchema } from './config.js';
import { clustersEntities } from './entities.js';
import { InventoryStore } from './inventory/inventory.store.js';

/**
 * The clusters worker process: agents' inventory and session status, from the agent hub; and the
 * removal of a deleted tenant's clusters.
 */
@Module({
  imports: [
    PlatformModule.forRoot({
      service: 'clusters-worker',
      configSchema: clustersConfigSchema,
      database: { schema: 'clusters', entities: clustersEntities },
    }),
  ],
  providers: [
    InventoryStore,
    PresenceService,
    ClustersService,
    queueWorkers(
      'clusters',
      QUEUES,
      (
        store: InventoryStore,
        clusters: ClustersService,
        producer: QueueProducer,
        config: ClustersConfig,
        logger: Logger,
      ) => [
        handler(INVENTORY_QUEUE, async (data, job) => void (await store.apply(data, job.timestamp)), 8),
        handler(AGENT_STATUS_QUEUE, (job) => store.recordStatus(job), 4),
        tenantPurgeHandler(TENANT_DELETED_QUEUES.clusters, {
          purge: (tenantId) => clusters.purgeTenant(tenantId),
          producer,
          finalSweepMs: config.TENANT_PURGE_FINAL_SWEEP_MS,
          logger,
        }),
      ],
      [InventoryStore, ClustersService, QueueProducer, CONFIG, LOGGER],
    ),
  ],
})
export class WorkerModule {}
