import { COMPILE_QUEUE } from '@meshplane/events';
import { InjectLogger, type Logger, QueueProducer, TenantDb } from '@meshplane/platform';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CompileRequestEntity, ConfigChangeEntity } from './bundle.entities.js';

/**
 * Asks for a tenant's bundles to be recompiled. A request is a row (so it survives a Redis
 * outage: the compile worker's sweep finds requests no job covers) plus a `compile` job. The
 * worker compiles everything up to the newest request at once, so a burst costs one compile.
 */
@Injectable()
export class CompileTrigger {
  constructor(
    private readonly db: TenantDb,
    private readonly producer: QueueProducer,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /**
   * Records a request inside the caller's transaction (so the change and its request commit
   * together). Call {@link enqueue} with the id once the transaction has committed.
   */
  async record(m: EntityManager, tenantId: string, reason: string, changeId?: string): Promise<number> {
    if (changeId !== undefined) {
      await m.insert(ConfigChangeEntity, {
        changeId,
        tenantId,
        reason: reason.slice(0, 200),
        compiledAt: null,
      });
    }
    const inserted = await m
      .createQueryBuilder()
      .insert()
      .into(CompileRequestEntity)
      .values({ tenantId, reason: reason.slice(0, 200), changeId: changeId ?? null })
      .returning(['id'])
      .execute();
    return Number((inserted.raw as { id: string }[])[0]!.id);
  }

  /**
   * Queues the compile of pending request `requestId`; a failure is left to the worker's sweep.
   * The sweep's jobs get a fresh id per minute, as BullMQ ignores a job id it still remembers.
   */
  async enqueue(tenantId: string, requestId: number, source: 'change' | 'sweep' = 'change'): Promise<void> {
    const suffix = source === 'sweep' ? `-sweep-${Math.floor(Date.now() / 60_000)}` : '';
    await this.producer
      .add(COMPILE_QUEUE, { tenantId, requestId }, { jobId: `compile-${tenantId}-${requestId}${suffix}` })
      .catch((error: unknown) =>
        this.logger.warn({ err: error, tenantId }, 'could not queue a compile; the sweep will pick it up'),
      );
  }

  /** Records and queues a request in one go (after the change itself has committed). */
  async request(tenantId: string, reason: string, changeId?: string): Promise<void> {
    const requestId = await this.db.tenant(tenantId, (m) => this.record(m, tenantId, reason, changeId));
    await this.enqueue(tenantId, requestId);
  }
}
