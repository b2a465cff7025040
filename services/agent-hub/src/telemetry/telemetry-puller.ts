import {
  HTTP_TELEMETRY_QUEUE,
  type HttpTelemetryJob,
  httpTelemetryJobId,
  TELEMETRY_QUEUE,
  type TelemetryJob,
  telemetryJobId,
} from '@meshplane/events';
import { CONFIG, InjectLogger, type Logger, Metrics, QueueProducer } from '@meshplane/platform';
import type { MessageTo, TelemetryBatchMessage, TelemetryHttpBatchMessage } from '@meshplane/protocol';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import type { AgentHubConfig } from '../config.js';
import { TelemetryCursors, type TelemetryStream } from './telemetry-cursors.js';

/** What the puller needs of a session (an `AgentSession` is one). */
export interface PullTarget {
  readonly agent?: { tenantId: string; clusterId: string; clusterName: string; epoch: number };
  /** Set when the agent announced the telemetry capability: the cursor pulls start after. */
  readonly telemetry?: { cursor: number };
  /** Set when the agent announced HTTP telemetry (`telemetry.http.v1`): where HTTP pulls start. */
  readonly httpTelemetry?: { cursor: number };
  send(message: MessageTo<'toAgent'>): void;
}

/** What a pull brings back, whichever stream. */
export interface PulledBatch {
  fromSeq: number;
  toSeq: number;
  records: readonly unknown[];
  dropped: number;
}

/** One telemetry stream the scheduler pulls: where a target's pulls start and the pull message. */
export interface PullStream {
  cursorOf(target: PullTarget): number | undefined;
  pullMessage(after: number, max: number): MessageTo<'toAgent'>;
}

export const FLOW_PULL_STREAM: PullStream = {
  cursorOf: (target) => target.telemetry?.cursor,
  pullMessage: (after, max) => ({ type: 'telemetry.pull', after, max }),
};

export const HTTP_PULL_STREAM: PullStream = {
  cursorOf: (target) => target.httpTelemetry?.cursor,
  pullMessage: (after, max) => ({ type: 'telemetry.http.pull', after, max }),
};

interface PullState {
  readonly target: PullTarget;
  readonly tenantId: string;
  readonly clusterId: string;
  /** Highest seq queued for this session; the next pull asks for records after it. */
  cursor: number;
  /** The pull awaiting its batch, or the batch being queued. */
  inFlight?: { after: number; max: number; since: number; queuing: boolean };
  /** Not pulled again before this time (idle agent, or the queue refused a batch). */
  notBefore: number;
  ready: boolean;
  closed: boolean;
}

export interface PullerOptions {
  maxRecords: number;
  maxInFlight: number;
  idleMs: number;
  timeoutMs: number;
  tickMs: number;
  now?: () => number;
}

/**
 * Pulls flow records from every agent that announced telemetry (DESIGN.md §1, data path 4):
 * `telemetry.pull {after: cursor, max}` → `telemetry.batch` → BullMQ `telemetry` → only once
 * the worker has stored it, `telemetry.ack` and the cursor moves on. At most one pull per agent is in
 * flight, and at most `maxInFlight` over all agents (back-pressure: a slow queue slows pulls).
 * Free slots go round robin across tenants, then across each tenant's agents, so a tenant with
 * many busy clusters cannot starve another. An agent that had nothing is asked again after
 * `idleMs`; one that had records is asked again at once.
 */
export class PullScheduler<B extends PulledBatch = TelemetryBatchMessage> {
  private readonly states = new Map<PullTarget, PullState>();
  /** Ready states per tenant, and the tenants with ready states in round-robin order. */
  private readonly ready = new Map<string, PullState[]>();
  private readonly rotation: string[] = [];
  private readonly rotating = new Set<string>();
  private readonly inFlight = new Set<PullState>();
  private readonly now: () => number;
  private ticker: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: PullerOptions,
    private readonly queueBatch: (
      state: { tenantId: string; clusterId: string; target: PullTarget },
      batch: B,
    ) => Promise<void>,
    private readonly events: {
      pulled?: () => void;
      queued?: (records: number) => void;
      dropped?: (records: number) => void;
      failed?: (error: unknown, clusterId: string) => void;
      ignored?: (why: string) => void;
    } = {},
    private readonly stream: PullStream = FLOW_PULL_STREAM,
  ) {
    this.now = options.now ?? Date.now;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  get sessions(): number {
    return this.states.size;
  }

  start(): void {
    this.ticker = setInterval(() => this.tick(), this.options.tickMs);
    this.ticker.unref();
  }

  stop(): void {
    clearInterval(this.ticker);
  }

  /** A welcomed session: pulls start if its agent announced this stream's capability. */
  add(target: PullTarget): void {
    const agent = target.agent;
    const cursor = this.stream.cursorOf(target);
    if (cursor === undefined || agent === undefined || this.states.has(target)) return;
    const state: PullState = {
      target,
      tenantId: agent.tenantId,
      clusterId: agent.clusterId,
      cursor,
      notBefore: 0,
      ready: false,
      closed: false,
    };
    this.states.set(target, state);
    this.makeReady(state);
    this.schedule();
  }

  /** A closed session: its slot, if it held one, goes to the next agent. */
  remove(target: PullTarget): void {
    const state = this.states.get(target);
    if (state === undefined) return;
    state.closed = true;
    this.states.delete(target);
    this.inFlight.delete(state);
    if (state.ready) {
      const queue = this.ready.get(state.tenantId);
      const index = queue?.indexOf(state) ?? -1;
      if (index >= 0) queue!.splice(index, 1);
    }
    this.schedule();
  }

  /** A `telemetry.batch` from `target`. */
  batch(target: PullTarget, batch: B): void {
    const state = this.states.get(target);
    const pull = state?.inFlight;
    if (state === undefined || pull === undefined || pull.queuing) {
      this.events.ignored?.('no pull is waiting for a batch from this agent');
      return;
    }
    if (batch.fromSeq !== pull.after + 1 || batch.records.length > pull.max) {
      this.events.ignored?.(`batch from ${batch.fromSeq} does not answer the pull after ${pull.after}`);
      this.release(state, this.options.idleMs);
      return;
    }
    if (batch.dropped > 0) this.events.dropped?.(batch.dropped);
    if (batch.records.length === 0) {
      this.release(state, this.options.idleMs);
      return;
    }
    pull.queuing = true;
    this.queueBatch(state, batch).then(
      () => {
        this.events.queued?.(batch.records.length);
        state.cursor = Math.max(state.cursor, batch.toSeq);
        this.release(state, 0);
      },
      (error: unknown) => {
        // Not acknowledged: the agent keeps the records and sends them again on the next pull.
        this.events.failed?.(error, state.clusterId);
        this.release(state, this.options.idleMs);
      },
    );
  }

  /** Expires pulls the agent never answered and readies agents whose wait is over. */
  tick(): void {
    const now = this.now();
    for (const state of this.inFlight) {
      const pull = state.inFlight!;
      if (!pull.queuing && now - pull.since > this.options.timeoutMs) this.release(state, 0);
    }
    for (const state of this.states.values()) {
      if (!state.ready && state.inFlight === undefined && state.notBefore <= now) this.makeReady(state);
    }
    this.schedule();
  }

  private release(state: PullState, waitMs: number): void {
    state.inFlight = undefined;
    this.inFlight.delete(state);
    if (state.closed) return;
    state.notBefore = this.now() + waitMs;
    if (waitMs === 0) this.makeReady(state);
    this.schedule();
  }

  private makeReady(state: PullState): void {
    if (state.ready || state.closed) return;
    state.ready = true;
    let queue = this.ready.get(state.tenantId);
    if (queue === undefined) {
      queue = [];
      this.ready.set(state.tenantId, queue);
    }
    queue.push(state);
    if (!this.rotating.has(state.tenantId)) {
      this.rotating.add(state.tenantId);
      this.rotation.push(state.tenantId);
    }
  }

  private schedule(): void {
    while (this.inFlight.size < this.options.maxInFlight && this.rotation.length > 0) {
      const tenantId = this.rotation.shift()!;
      const queue = this.ready.get(tenantId);
      const state = queue?.shift();
      if (queue !== undefined && queue.length > 0) this.rotation.push(tenantId);
      else {
        this.ready.delete(tenantId);
        this.rotating.delete(tenantId);
      }
      if (state === undefined) continue;
      state.ready = false;
      this.pull(state);
    }
  }

  private pull(state: PullState): void {
    const max = this.options.maxRecords;
    state.inFlight = { after: state.cursor, max, since: this.now(), queuing: false };
    this.inFlight.add(state);
    this.events.pulled?.();
    state.target.send(this.stream.pullMessage(state.cursor, max));
  }
}

/** The pull events of one stream, counted under `meshplane_<prefix>_*`. */
function pullMetrics(
  metrics: Metrics,
  logger: Logger,
  prefix: string,
  what: string,
  inFlight: () => number,
): ConstructorParameters<typeof PullScheduler>[2] {
  const registers = [metrics.registry];
  const pulls = new Counter({
    name: `meshplane_${prefix}_pulls_total`,
    help: `${what} pulls sent`,
    registers,
  });
  const records = new Counter({
    name: `meshplane_${prefix}_records_queued_total`,
    help: `${what} records stored and acknowledged`,
    registers,
  });
  const dropped = new Counter({
    name: `meshplane_${prefix}_records_dropped_by_agents_total`,
    help: `${what} records agents reported dropping from a full buffer`,
    registers,
  });
  const failures = new Counter({
    name: `meshplane_${prefix}_queue_failures_total`,
    help: `${what} batches that could not be queued (not acknowledged; pulled again)`,
    registers,
  });
  new Gauge({
    name: `meshplane_${prefix}_pulls_in_flight`,
    help: `${what} pulls awaiting a batch or queuing one`,
    registers,
    collect(this: Gauge) {
      this.set(inFlight());
    },
  });
  return {
    pulled: () => pulls.inc(),
    queued: (count) => records.inc(count),
    dropped: (count) => dropped.inc(count),
    failed: (error, clusterId) => {
      failures.inc();
      logger.warn(
        { err: error, clusterId },
        `could not queue a ${what.toLowerCase()} batch; will pull it again`,
      );
    },
    ignored: (why) => logger.debug({ why }, `ignored a ${what.toLowerCase()} batch`),
  };
}

/**
 * The hub's telemetry: for each stream (flows; HTTP records from agents announcing
 * `telemetry.http.v1`) a pull scheduler wired to its queue, the cluster cursors in Redis and the
 * acknowledgement to the agent. The streams share nothing but the session, so a slow one never
 * holds the other up.
 */
@Injectable()
export class TelemetryPuller implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly scheduler: PullScheduler;
  readonly httpScheduler: PullScheduler<TelemetryHttpBatchMessage>;
  private readonly storeTimeoutMs: number;

  constructor(
    @Inject(CONFIG) config: AgentHubConfig,
    private readonly producer: QueueProducer,
    private readonly cursors: TelemetryCursors,
    @InjectLogger() logger: Logger,
    metrics: Metrics,
  ) {
    this.storeTimeoutMs = config.TELEMETRY_STORE_TIMEOUT_MS;
    const options = {
      maxRecords: config.TELEMETRY_PULL_MAX_RECORDS,
      maxInFlight: config.TELEMETRY_MAX_PULLS_IN_FLIGHT,
      idleMs: config.TELEMETRY_IDLE_PULL_MS,
      timeoutMs: config.TELEMETRY_PULL_TIMEOUT_MS,
      tickMs: Math.min(250, config.TELEMETRY_IDLE_PULL_MS),
    };
    this.scheduler = new PullScheduler(
      options,
      (state, batch) => this.store(state.target, batch, 'flows'),
      pullMetrics(metrics, logger, 'telemetry', 'Flow', () => this.scheduler.inFlightCount),
    );
    this.httpScheduler = new PullScheduler<TelemetryHttpBatchMessage>(
      options,
      (state, batch) => this.store(state.target, batch, 'http'),
      pullMetrics(metrics, logger, 'http_telemetry', 'HTTP', () => this.httpScheduler.inFlightCount),
      HTTP_PULL_STREAM,
    );
  }

  onApplicationBootstrap() {
    this.scheduler.start();
    this.httpScheduler.start();
  }

  onApplicationShutdown() {
    this.scheduler.stop();
    this.httpScheduler.stop();
  }

  /** A welcomed session: each stream its agent announced starts being pulled. */
  add(target: PullTarget): void {
    this.scheduler.add(target);
    this.httpScheduler.add(target);
  }

  remove(target: PullTarget): void {
    this.scheduler.remove(target);
    this.httpScheduler.remove(target);
  }

  /** `welcome.telemetryCursor` (or `httpTelemetryCursor`) for a cluster; undefined when Redis cannot answer. */
  cursorFor(clusterId: string, stream: TelemetryStream = 'flows'): Promise<number | undefined> {
    return this.cursors.get(clusterId, stream);
  }

  /**
   * Queues a batch and waits until the telemetry worker has stored it; only then raises the
   * cluster's cursor of that stream and acknowledges it to the agent. A batch lost with Redis (a
   * restart without persistence) is therefore never acknowledged: the agent still holds it and the
   * next pull brings it again (stored once: storage is idempotent by cluster and sequence).
   */
  private async store(target: PullTarget, batch: PulledBatch, stream: TelemetryStream): Promise<void> {
    const agent = target.agent!;
    const data = {
      tenantId: agent.tenantId,
      clusterId: agent.clusterId,
      clusterName: agent.clusterName,
      epoch: agent.epoch,
      fromSeq: batch.fromSeq,
      toSeq: batch.toSeq,
      dropped: batch.dropped,
      records: batch.records,
    };
    // A batch is up to ~1 MB: keep few once stored (a re-sent one finds its job finished).
    const retain = { removeOnComplete: 100, removeOnFail: 100 };
    if (stream === 'flows') {
      const jobId = telemetryJobId(agent.clusterId, batch.fromSeq, batch.toSeq);
      await this.producer.addAndWait(
        TELEMETRY_QUEUE,
        data as TelemetryJob,
        { jobId, ...retain },
        this.storeTimeoutMs,
      );
    } else {
      const jobId = httpTelemetryJobId(agent.clusterId, batch.fromSeq, batch.toSeq);
      await this.producer.addAndWait(
        HTTP_TELEMETRY_QUEUE,
        data as HttpTelemetryJob,
        { jobId, ...retain },
        this.storeTimeoutMs,
      );
    }
    await this.cursors.advance(agent.clusterId, batch.toSeq, stream);
    const upToSeq = batch.toSeq;
    target.send(
      stream === 'flows' ? { type: 'telemetry.ack', upToSeq } : { type: 'telemetry.http.ack', upToSeq },
    );
  }
}
