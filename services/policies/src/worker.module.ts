import {
  CLUSTER_CHANGED_QUEUE,
  COMPILE_QUEUE,
  CONFIG_RESULT_QUEUE,
  INVENTORY_CHANGED_QUEUE,
  QUEUES,
  TENANT_DELETED_QUEUES,
} from '@meshplane/events';
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
import { BundleCompilerService } from './bundles/bundle-compiler.service.js';
import { ClusterConfigsService } from './bundles/cluster-configs.service.js';
import { CompileTrigger } from './bundles/compile-trigger.js';
import { ClustersInventoryClient } from './clients/clusters-inventory.client.js';
import { type PoliciesConfig, policiesConfigSchema } from './config.js';
import { policiesEntities } from './entities.js';
import { PoliciesTenantPurge } from './tenant-purge/policies-tenant-purge.js';

/**
 * The policies worker process: compiles bundles when policies, tiers, clusters or inventories
 * change, and records what agents report about the versions pushed to them.
 */
@Module({
  imports: [
    PlatformModule.forRoot({
      service: 'policies-worker',
      configSchema: policiesConfigSchema,
      database: { schema: 'policies', entities: policiesEntities },
    }),
  ],
  providers: [
    CompileTrigger,
    ClustersInventoryClient,
    BundleCompilerService,
    ClusterConfigsService,
    PoliciesTenantPurge,
    queueWorkers(
      'policies',
      QUEUES,
      (
        trigger: CompileTrigger,
        compiler: BundleCompilerService,
        configs: ClusterConfigsService,
        tenantPurge: PoliciesTenantPurge,
        producer: QueueProducer,
        config: PoliciesConfig,
        logger: Logger,
      ) => [
        handler(INVENTORY_CHANGED_QUEUE, (job) => trigger.request(job.tenantId, 'inventory'), 8),
        handler(CLUSTER_CHANGED_QUEUE, (job) => trigger.request(job.tenantId, `cluster ${job.change}`), 4),
        handler(COMPILE_QUEUE, (job) => compiler.handle(job), 2),
        handler(CONFIG_RESULT_QUEUE, (job) => configs.recordResults(job.results), 4),
        tenantPurgeHandler(TENANT_DELETED_QUEUES.policies, {
          purge: (tenantId) => tenantPurge.purge(tenantId),
          producer,
          finalSweepMs: config.TENANT_PURGE_FINAL_SWEEP_MS,
          logger,
        }),
      ],
      [
        CompileTrigger,
        BundleCompilerService,
        ClusterConfigsService,
        PoliciesTenantPurge,
        QueueProducer,
        CONFIG,
        LOGGER,
      ],
    ),
  ],
})
export class WorkerModule {}
