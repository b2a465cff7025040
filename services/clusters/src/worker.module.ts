import { AGENT_STATUS_QUEUE, INVENTORY_CHANGED_QUEUE, INVENTORY_QUEUE } from '@meshplane/events';
import { handler, PlatformModule, queueWorkers } from '@meshplane/platform';
import { Module } from '@nestjs/common';
import { clustersConfigSchema } from './config.js';
import { clustersEntities } from './entities.js';
import { InventoryStore } from './inventory/inventory.store.js';

/** The clusters worker process: agents' inventory and session status, from the agent hub. */
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
    queueWorkers(
      'clusters',
      [INVENTORY_QUEUE, AGENT_STATUS_QUEUE, INVENTORY_CHANGED_QUEUE],
      (store: InventoryStore) => [
        handler(INVENTORY_QUEUE, async (data, job) => void (await store.apply(data, job.timestamp)), 8),
        handler(AGENT_STATUS_QUEUE, (job) => store.recordStatus(job), 4),
      ],
      [InventoryStore],
    ),
  ],
})
export class WorkerModule {}
