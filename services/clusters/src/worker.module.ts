import { AGENT_STATUS_QUEUE, INVENTORY_CHANGED_QUEUE, INVENTORY_QUEUE } from '@meshplane/events';
import {
  CONFIG,
  handler,
  InjectLogger,
  type Logger,
  PlatformModule,
  REDIS,
  startWorkers,
} from '@meshplane/platform';
import { Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { type ClustersConfig, clustersConfigSchema } from './config.js';
import { clustersEntities } from './entities.js';
import { InventoryStore } from './inventory/inventory.store.js';

/** Consumes the queues the clusters service owns: agents' inventory and session status. */
class ClustersWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private workers: Worker[] = [];

  constructor(
    private readonly store: InventoryStore,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: ClustersConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  onApplicationBootstrap() {
    this.workers = startWorkers({
      service: 'clusters',
      expected: [INVENTORY_QUEUE, AGENT_STATUS_QUEUE, INVENTORY_CHANGED_QUEUE],
      handlers: [
        handler(INVENTORY_QUEUE, async (job) => void (await this.store.apply(job)), 8),
        handler(AGENT_STATUS_QUEUE, (job) => this.store.recordStatus(job), 4),
      ],
      connection: this.redis,
      prefix: this.config.REDIS_PREFIX,
      logger: this.logger,
    });
  }

  async onApplicationShutdown() {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}

@Module({
  imports: [
    PlatformModule.forRoot({
      service: 'clusters-worker',
      configSchema: clustersConfigSchema,
      database: { schema: 'clusters', entities: clustersEntities },
    }),
  ],
  providers: [InventoryStore, ClustersWorkers],
})
export class WorkerModule {}
