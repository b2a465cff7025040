import { INVENTORY_CHANGED_QUEUE } from '@meshplane/events';
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
import { ClusterStatesStore } from './cluster-states/cluster-states.store.js';
import { type PoliciesConfig, policiesConfigSchema } from './config.js';
import { policiesEntities } from './entities.js';

/** Consumes the queues the policies service owns: inventory changes that call for recompiling. */
class PoliciesWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private workers: Worker[] = [];

  constructor(
    private readonly clusterStates: ClusterStatesStore,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: PoliciesConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  onApplicationBootstrap() {
    this.workers = startWorkers({
      service: 'policies',
      expected: [INVENTORY_CHANGED_QUEUE],
      handlers: [handler(INVENTORY_CHANGED_QUEUE, (job) => this.clusterStates.recordInventoryChange(job), 8)],
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
      service: 'policies-worker',
      configSchema: policiesConfigSchema,
      database: { schema: 'policies', entities: policiesEntities },
    }),
  ],
  providers: [ClusterStatesStore, PoliciesWorkers],
})
export class WorkerModule {}
