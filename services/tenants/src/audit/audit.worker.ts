import {
  AUDIT_QUEUE,
  auditEventSchema,
  CONFIG,
  InjectLogger,
  type Logger,
  queuePrefix,
  REDIS,
  SCHEMA_OUT_VARIABLE,
} from '@meshplane/platform';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { TenantsConfig } from '../config.js';
import { AuditEventsService } from './audit-events.service.js';

/**
 * Drains the `audit` queue every subgraph writes to into the append-only table. Jobs are
 * validated; a malformed one fails for good, a database error is retried with backoff.
 */
@Injectable()
export class AuditWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private worker?: Worker;
  private connection?: Redis;

  constructor(
    private readonly events: AuditEventsService,
    @Inject(CONFIG) private readonly config: TenantsConfig,
    @Inject(REDIS) private readonly redis: Redis,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  onApplicationBootstrap() {
    // `schema:generate` boots the service only to print its SDL: no worker then.
    if (process.env[SCHEMA_OUT_VARIABLE]) return;
    this.connection = this.redis.duplicate();
    this.worker = new Worker(
      AUDIT_QUEUE,
      async (job) => {
        const parsed = auditEventSchema.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`invalid audit event: ${parsed.error.message}`);
        await this.events.store(parsed.data);
      },
      { connection: this.connection, prefix: queuePrefix(this.config.REDIS_PREFIX), concurrency: 8 },
    );
    this.worker.on('failed', (job, error) =>
      this.logger.warn({ queue: AUDIT_QUEUE, jobId: job?.id, err: error }, 'audit job failed'),
    );
    this.worker.on('error', (error) =>
      this.logger.error({ queue: AUDIT_QUEUE, err: error }, 'audit worker error'),
    );
  }

  async onModuleDestroy() {
    await this.worker?.close();
    await this.connection?.quit().catch(() => {});
  }
}
