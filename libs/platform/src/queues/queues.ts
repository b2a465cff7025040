import type { InjectionToken, OnApplicationBootstrap, OnApplicationShutdown, Provider } from '@nestjs/common';
import { type Job, type JobsOptions, Queue, QueueEvents, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Gauge } from 'prom-client';
import type { z } from 'zod';
import { AUDIT_QUEUE_SPEC } from '../audit/audit-event.js';
import { Metrics } from '../metrics/metrics.js';
import { SCHEMA_OUT_VARIABLE } from '../nest/schema-out.js';
import { CONFIG, LOGGER, REDIS } from '../nest/tokens.js';
import { queuePrefix } from '../redis/redis.js';

/** A queue and the schema of its jobs (definitions live in @meshplane/events). */
export interface QueueSpec<S extends z.ZodType = z.ZodType> {
  name: string;
  schema: S;
  consumer: string;
}

export interface QueueHandler<S extends z.ZodType = z.ZodType> {
  queue: QueueSpec<S>;
  handle: (data: z.infer<S>, job: Job) => Promise<void>;
  concurrency?: number;
}

/** A handler for one queue, typed by the queue's job schema. */
export function handler<S extends z.ZodType>(
  queue: QueueSpec<S>,
  handle: (data: z.infer<S>, job: Job) => Promise<void>,
  concurrency?: number,
): QueueHandler {
  return { queue, handle: handle as QueueHandler['handle'], concurrency };
}

/** Typed producers: the job is validated before it is queued, so a bad job fails where it is made. */
export class QueueProducer {
  private readonly queues = new Map<string, Queue>();
  private readonly events = new Map<string, Promise<QueueEvents>>();

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
  ) {}

  async add<S extends z.ZodType>(
    spec: QueueSpec<S>,
    data: z.infer<S>,
    options: JobsOptions = {},
  ): Promise<Job> {
    const parsed = spec.schema.parse(data);
    return this.queue(spec.name).add(spec.name, parsed, {
      removeOnComplete: 1_000,
      removeOnFail: 10_000,
      attempts: 20,
      backoff: { type: 'exponential', delay: 50 },
      ...options,
    });
  }

  /** Queues several jobs in one round trip (each validated first); `options` per job, or one for all. */
  async addBulk<S extends z.ZodType>(
    spec: QueueSpec<S>,
    items: z.infer<S>[],
    options: JobsOptions | JobsOptions[] = {},
  ): Promise<void> {
    if (items.length === 0) return;
    const parsed = items.map((data) => spec.schema.parse(data));
    await this.queue(spec.name).addBulk(
      parsed.map((data, index) => ({
        name: spec.name,
        data,
        opts: {
          removeOnComplete: 1_000,
          removeOnFail: 10_000,
          attempts: 20,
          backoff: { type: 'exponential', delay: 50 },
          ...(Array.isArray(options) ? options[index] : options),
        },
      })),
    );
  }

  /**
   * Queues a job and resolves once its consumer has completed it (for callers that may only
   * acknowledge what is stored, whatever happens to Redis meanwhile). Rejects when the job fails
   * for good (it is then removed, so that the same job id can be queued again) or when it has not
   * finished within `timeoutMs` (a Redis that lost the job); the caller tries again later.
   */
  async addAndWait<S extends z.ZodType>(
    spec: QueueSpec<S>,
    data: z.infer<S>,
    options: JobsOptions,
    timeoutMs: number,
  ): Promise<void> {
    const events = await this.queueEvents(spec.name);
    const job = await this.add(spec, data, options);
    try {
      await job.waitUntilFinished(events, timeoutMs);
    } catch (error) {
      if ((await job.getState().catch(() => undefined)) === 'failed') await job.remove().catch(() => {});
      throw error;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await Promise.all([...this.events.values()].map(async (events) => (await events).close()));
  }

  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: queuePrefix(this.prefix) });
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** One QueueEvents listener per queue (its own connection: it blocks reading the event stream). */
  private queueEvents(name: string): Promise<QueueEvents> {
    let events = this.events.get(name);
    if (!events) {
      const created = new QueueEvents(name, {
        connection: this.connection.duplicate(),
        prefix: queuePrefix(this.prefix),
      });
      events = created.waitUntilReady().then(() => created);
      this.events.set(name, events);
    }
    return events;
  }
}

/** Thrown by a handler when a job must wait for an earlier one (it is retried with backoff). */
export class NotYetError extends Error {}

/**
 * A service's handlers against every queue there is (`expected`: `QUEUES` of @meshplane/events;
 * the audit queue is added here): each queue the service consumes has exactly one handler, and
 * each handler is for a queue the service consumes.
 */
export function checkConsumers(
  service: string,
  handlers: readonly QueueHandler[],
  expected: readonly QueueSpec[],
) {
  const every = new Map([...expected, AUDIT_QUEUE_SPEC].map((spec) => [spec.name, spec]));
  for (const spec of [...every.values()].filter((q) => q.consumer === service)) {
    const count = handlers.filter((h) => h.queue.name === spec.name).length;
    if (count !== 1)
      throw new Error(`queue ${spec.name} needs exactly one handler in ${service}, found ${count}`);
  }
  for (const { queue } of handlers) {
    const spec = every.get(queue.name);
    if (!spec) throw new Error(`${service} handles ${queue.name}, a queue that is not defined`);
    if (spec.consumer !== service)
      throw new Error(`${service} handles ${queue.name}, which ${spec.consumer} consumes`);
  }
}

/**
 * Starts one BullMQ worker per handler, refusing to start when a queue has no handler in this
 * service or two. Job data is validated; invalid data fails the job for good (never retried).
 */
export function startWorkers(options: {
  service: string;
  handlers: QueueHandler[];
  expected: readonly QueueSpec[];
  connection: Redis;
  prefix: string;
  logger: Logger;
}): Worker[] {
  const { service, handlers, expected, connection, prefix, logger } = options;
  checkConsumers(service, handlers, expected);
  return handlers.map(({ queue, handle, concurrency }) => {
    const workerConnection = connection.duplicate();
    const worker = new Worker(
      queue.name,
      async (job: Job) => {
        const parsed = queue.schema.safeParse(job.data);
        if (!parsed.success)
          throw new UnrecoverableError(`invalid ${queue.name} job: ${parsed.error.message}`);
        await handle(parsed.data, job);
      },
      { connection: workerConnection, prefix: queuePrefix(prefix), concurrency: concurrency ?? 4 },
    );
    // BullMQ never closes a connection it was given: this one is the worker's own.
    worker.on('closed', () => void workerConnection.quit().catch(() => {}));
    worker.on('failed', (job, error) => {
      if (error instanceof NotYetError) return;
      logger.warn({ queue: queue.name, jobId: job?.id, err: error }, 'job failed');
    });
    worker.on('error', (error) => logger.error({ queue: queue.name, err: error }, 'worker error'));
    return worker;
  });
}

/** Job states reported by the queue-depth gauge. */
const COUNTED_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * Runs a service's queue handlers for the life of its Nest application, and reports the depth of
 * the queues it consumes (`meshplane_queue_jobs{queue, state}`, read from Redis at each scrape).
 */
export class QueueWorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private workers: Worker[] = [];
  private readonly queues: Queue[] = [];

  constructor(
    private readonly options: Parameters<typeof startWorkers>[0],
    metrics?: Metrics,
  ) {
    if (!metrics) return;
    const host = this;
    new Gauge({
      name: 'meshplane_queue_jobs',
      help: 'Jobs in the queues this process consumes, by state',
      labelNames: ['queue', 'state'],
      registers: [metrics.registry],
      async collect() {
        for (const queue of host.queues) {
          const counts = await queue.getJobCounts(...COUNTED_STATES).catch(() => undefined);
          if (!counts) continue;
          for (const state of COUNTED_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }
      },
    });
  }

  onApplicationBootstrap() {
    // `schema:generate` boots a service only to print its SDL: no workers then.
    if (process.env[SCHEMA_OUT_VARIABLE]) return;
    this.workers = startWorkers(this.options);
    for (const { queue } of this.options.handlers) {
      this.queues.push(
        new Queue(queue.name, {
          connection: this.options.connection,
          prefix: queuePrefix(this.options.prefix),
        }),
      );
    }
  }

  async onApplicationShutdown() {
    await Promise.all(this.workers.map((worker) => worker.close()));
    await Promise.all(this.queues.map((queue) => queue.close()));
  }
}

/**
 * The provider that starts a worker process's handlers: `queueWorkers('clusters', [QUEUES...],
 * (store: InventoryStore) => [handler(...)], [InventoryStore])`.
 */
export function queueWorkers<D extends unknown[]>(
  service: string,
  expected: readonly QueueSpec[],
  handlers: (...dependencies: D) => QueueHandler[],
  inject: InjectionToken[],
): Provider {
  return {
    provide: QueueWorkerHost,
    useFactory: (
      connection: Redis,
      config: { REDIS_PREFIX: string },
      logger: Logger,
      metrics: Metrics,
      ...dependencies: D
    ) =>
      new QueueWorkerHost(
        {
          service,
          expected,
          handlers: handlers(...dependencies),
          connection,
          prefix: config.REDIS_PREFIX,
          logger,
        },
        metrics,
      ),
    inject: [REDIS, CONFIG, LOGGER, Metrics, ...inject],
  };
}
