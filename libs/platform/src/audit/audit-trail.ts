import { Inject, Injectable, type OnModuleDestroy, Optional } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { BaseConfig } from '../nest/platform.module.js';
import { CONFIG, LOGGER, REDIS } from '../nest/tokens.js';
import { Outbox } from '../queues/outbox.js';
import { queuePrefix } from '../redis/redis.js';
import { AUDIT_JOB, AUDIT_QUEUE, AUDIT_QUEUE_SPEC, type AuditEvent } from './audit-event.js';

/** How long a mutation's response waits for its audit event to reach Redis. */
const ENQUEUE_TIMEOUT_MS = 3_000;

/**
 * Sends audit events to the durable `audit` queue, which the tenants service drains into its
 * append-only table. The event id is the job id, so retrying an add never stores twice. An event
 * Redis does not take in time is written to the service's outbox and queued by its sweep.
 */
@Injectable()
export class AuditTrail implements OnModuleDestroy {
  private readonly queue: Queue<AuditEvent>;

  constructor(
    @Inject(CONFIG) config: BaseConfig,
    @Inject(REDIS) redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional() private readonly outbox?: Outbox,
  ) {
    this.queue = new Queue<AuditEvent>(AUDIT_QUEUE, {
      connection: redis,
      prefix: queuePrefix(config.REDIS_PREFIX),
      defaultJobOptions: {
        attempts: 20,
        backoff: { type: 'exponential', delay: 500 },
        removeOnComplete: true,
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    });
  }

  /**
   * Enqueues one event. Never throws: the mutation it describes has already happened, so a
   * Redis outage is not turned into an error for a change that was made. The event then waits in
   * the outbox (the job may still reach Redis from this attempt too: the same job id, one event);
   * only when neither Redis nor the outbox takes it is it logged loudly (it holds no secrets).
   */
  async record(event: AuditEvent): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.queue.add(AUDIT_JOB, event, { jobId: event.id }),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('timed out enqueueing')), ENQUEUE_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      await this.keep(event, error);
    } finally {
      clearTimeout(timer);
    }
  }

  private async keep(event: AuditEvent, queueError: unknown) {
    if (this.outbox) {
      try {
        await this.outbox.putNow(event.tenantId, AUDIT_QUEUE_SPEC, event, event.id);
        this.logger.warn({ err: queueError, auditEventId: event.id }, 'audit event kept in the outbox');
        return;
      } catch (error) {
        this.logger.error({ err: error }, 'could not keep an audit event in the outbox');
      }
    }
    this.logger.error({ err: queueError, auditEvent: event }, 'could not enqueue an audit event');
  }

  /** An event that could not even be built: a bug, logged so that it is seen. */
  failed(operation: string, error: unknown) {
    this.logger.error({ err: error, operation }, 'could not build an audit event');
  }

  async onModuleDestroy() {
    await this.queue.close();
  }
}
