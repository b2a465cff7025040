import { INVENTORY_CHANGED_QUEUE } from '@meshplane/events';
import { handler, PlatformModule, queueWorkers } from '@meshplane/platform';
import { Module } from '@nestjs/common';
import { ClusterStatesStore } from './cluster-states/cluster-states.store.js';
import { policiesConfigSchema } from './config.js';
import { policiesEntities } from './entities.js';

/** The policies worker process: inventory changes that call for recompiling clusters. */
@Module({
  imports: [
    PlatformModule.forRoot({
      service: 'policies-worker',
      configSchema: policiesConfigSchema,
      database: { schema: 'policies', entities: policiesEntities },
    }),
  ],
  providers: [
    ClusterStatesStore,
    queueWorkers(
      'policies',
      [INVENTORY_CHANGED_QUEUE],
      (clusterStates: ClusterStatesStore) => [
        handler(INVENTORY_CHANGED_QUEUE, (job) => clusterStates.recordInventoryChange(job), 8),
      ],
      [ClusterStatesStore],
    ),
  ],
})
export class WorkerModule {}
