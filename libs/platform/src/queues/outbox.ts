import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { Column, Entity, type EntityManager, PrimaryGeneratedColumn } from 'typeorm';
import { z } from 'zod';
import type { TenantDb } from '../database/data-source.js';
import type { QueueProducer, QueueSpec } from './queues.js';

/** How often a process queues what its outbox still holds (Redis was away when it was written). */
export const OUTBOX_SWEEP_MS = 5_000;
/** How long one delivery waits for Redis before leaving its rows for the next sweep. */
export const OUTBOX_DELIVERY_TIMEOUT_MS = 3_000;
/** Most rows one delivery queues (it loops while rows are left). */
export const OUTBOX_BATCH = 200;

/** One job waiting to be queued, written in the transaction of the change it announces. */
export interface OutboxRow {
  id: string;
  tenantId: string | null;
  queue: string;
  jobId: string | null;
  payload: unknown;
  createdAt: Date;
}

type OutboxEntityClass = new () => OutboxRow;
const entities = new Map<string, OutboxEntityClass>();

/**
 * The outbox table of a service's schema (`<schema>.outbox`): the same class for every caller, so
 * the service's entity list and its Outbox name one entity.
 */
export function outboxEntity(schema: string): OutboxEntityClass {
  const known = entities.get(schema);
  if (known) return known;
  @Entity({ schema, name: 'outbox' })
  class OutboxEntity implements OutboxRow {
    @PrimaryGeneratedColumn({ type: 'bigint' })
    id!: string;

    /** Null for the few jobs that belong to no tenant (an audit event of a failed sign-up). */
    @Column({ name: 'tenant_id', type: 'uuid', nullable: true })
    tenantId!: string | null;

    @Column({ type: 'text' })
    queue!: string;

    /** BullMQ's job id: the same job queued twice (a delivery that timed out, then a sweep) is one job. */
    @Column({ name: 'job_id', type: 'text', nullable: true })
    jobId!: string | null;

    @Column({ type: 'jsonb' })
    payload!: unknown;

    @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
    createdAt!: Date;
  }
  entities.set(schema, OutboxEntity);
  return OutboxEntity;
}

/** The job was validated by its queue's schema when it was written: it is queued as it is. */
const STORED = z.unknown();

/**
 * No side effect lost: a job that announces a change (`cluster-changed`, `inventory-changed`, an
 * audit event) is written to the service's outbox in the transaction of the change, and queued
 * after the commit. What Redis does not take then (it is down, or the process dies first) stays
 * in the table, and every process of the service sweeps it every `OUTBOX_SWEEP_MS`: rows are
 * taken with `FOR UPDATE SKIP LOCKED`, queued with their job id, and deleted in one transaction,
 * so replicas share the work and a row is deleted only once Redis has its job.
 */
export class Outbox implements OnApplicationBootstrap, OnApplicationShutdown {
  private sweeper?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private closed = false;

  constructor(
    private readonly db: TenantDb,
    private readonly producer: QueueProducer,
    private readonly entity: OutboxEntityClass,
    private readonly logger: Logger,
    private readonly schema: string,
    private readonly sweepMs = OUTBOX_SWEEP_MS,
  ) {}

  onApplicationBootstrap() {
    this.sweeper = setInterval(() => void this.deliver(), this.sweepMs);
    this.sweeper.unref();
    void this.deliver();
  }

  async onApplicationShutdown() {
    this.closed = true;
    clearInterval(this.sweeper);
    await this.running;
  }

  /**
   * Writes a job in the caller's transaction (validated by its queue's schema now, so a bad job
   * fails the change that made it). Call `deliver()` once the transaction has committed.
   */
  async put<S extends z.ZodType>(
    m: EntityManager,
    tenantId: string | null,
    spec: QueueSpec<S>,
    data: z.infer<S>,
    jobId?: string,
  ): Promise<void> {
    const payload = spec.schema.parse(data);
    // jsonb: TypeORM stores the value as JSON; its insert type cannot say so for `unknown`.
    await m.insert(this.entity, {
      tenantId,
      queue: spec.name,
      jobId: jobId ?? null,
      payload: payload as object,
    });
  }

  /** Writes a job in a transaction of its own (for a caller whose change is already committed). */
  async putNow<S extends z.ZodType>(
    tenantId: string | null,
    spec: QueueSpec<S>,
    data: z.infer<S>,
    jobId?: string,
  ): Promise<void> {
    await this.db.system((m) => this.put(m, tenantId, spec, data, jobId));
  }

  /**
   * Queues what the outbox holds, oldest first, and resolves when done or when Redis did not
   * answer in time (the rows stay for the next sweep). Never throws. Calls while one runs are
   * folded into one more pass after it.
   */
  deliver(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          while ((await this.deliverBatch()) === OUTBOX_BATCH && !this.closed) {}
        } while (this.again && !this.closed);
      } catch (error) {
        this.logger.warn(
          { err: error, outbox: this.schema },
          'could not queue the outbox; retrying at the next sweep',
        );
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** How many jobs wait in the outbox (for tests and the health of a drill). */
  pending(): Promise<number> {
    return this.db.system((m) => m.count(this.entity));
  }

  private deliverBatch(): Promise<number> {
    return this.db.system(async (m) => {
      const rows = await m
        .createQueryBuilder(this.entity, 'o')
        .orderBy('o.id', 'ASC')
        .limit(OUTBOX_BATCH)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      if (rows.length === 0) return 0;
      const byQueue = new Map<string, OutboxRow[]>();
      for (const row of rows) byQueue.set(row.queue, [...(byQueue.get(row.queue) ?? []), row]);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(new Error(`Redis did not take the outbox's jobs within ${OUTBOX_DELIVERY_TIMEOUT_MS} ms`)),
          OUTBOX_DELIVERY_TIMEOUT_MS,
        );
      });
      try {
        await Promise.race([
          Promise.all(
            [...byQueue].map(([queue, queued]) =>
              this.producer.addBulk(
                { name: queue, schema: STORED, consumer: '' },
                queued.map((row) => row.payload),
                queued.map((row) => ({ jobId: row.jobId ?? `outbox-${this.schema}-${row.id}` })),
              ),
            ),
          ),
          timeout,
        ]);
      } finally {
        clearTimeout(timer);
      }
      await m.delete(
        this.entity,
        rows.map((row) => row.id),
      );
      return rows.length;
    });
  }
}
