import type { Logger, Metrics, QueueProducer } from '@meshplane/platform';
import type { MessageTo, TelemetryBatchMessage } from '@meshplane/protocol';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { AgentHubConfig } from '../config.js';
import type { TelemetryCursors } from './telemetry-cursors.js';
import { HTTP_PULL_STREAM, PullScheduler, type PullTarget, TelemetryPuller } from './telemetry-puller.js';

class FakeTarget implements PullTarget {
  readonly sent: MessageTo<'toAgent'>[] = [];
  readonly agent;
  readonly telemetry;
  constructor(tenantId: string, clusterId: string, cursor = 0) {
    this.agent = { tenantId, clusterId, clusterName: clusterId, epoch: 1 };
    this.telemetry = { cursor };
  }
  send(message: MessageTo<'toAgent'>) {
    this.sent.push(message);
  }
  pulls() {
    return this.sent.filter((m) => m.type === 'telemetry.pull');
  }
}

function batch(fromSeq: number, count: number, dropped = 0): TelemetryBatchMessage {
  const records = Array.from({ length: count }, (_, i) => ({ seq: fromSeq + i }) as never);
  return { type: 'telemetry.batch', fromSeq, toSeq: fromSeq + count - 1, records, dropped };
}

const OPTIONS = { maxRecords: 100, maxInFlight: 2, idleMs: 1_000, timeoutMs: 5_000, tickMs: 100 };

function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('PullScheduler', () => {
  it('pulls each agent after its cursor, never two pulls at once for one agent', async () => {
    const scheduler = new PullScheduler(OPTIONS, async () => {});
    const agent = new FakeTarget('t1', 'c1', 41);
    scheduler.add(agent);
    expect(agent.pulls()).toEqual([{ type: 'telemetry.pull', after: 41, max: 100 }]);
    scheduler.tick();
    expect(agent.pulls()).toHaveLength(1);
    scheduler.batch(agent, batch(42, 3));
    await flush();
    expect(agent.pulls().at(-1)).toEqual({ type: 'telemetry.pull', after: 44, max: 100 });
  });

  it('shares the global limit round robin across tenants, not across agents', () => {
    let now = 0;
    const scheduler = new PullScheduler({ ...OPTIONS, maxInFlight: 1, now: () => now }, async () => {});
    const blocker = new FakeTarget('other', 'x0');
    scheduler.add(blocker); // holds the only slot while the others arrive
    const busy = Array.from({ length: 3 }, (_, i) => new FakeTarget('busy', `b${i}`));
    const quiet = new FakeTarget('quiet', 'q0');
    for (const agent of busy) scheduler.add(agent);
    scheduler.add(quiet);
    scheduler.batch(blocker, batch(1, 0));
    const order: string[] = [];
    const pulled = () =>
      [...busy, quiet].find((a) => a.pulls().length > order.filter((o) => o === a.agent.clusterId).length)!;
    for (let i = 0; i < 4; i += 1) {
      const agent = pulled();
      order.push(agent.agent.clusterId);
      now += 1;
      scheduler.batch(agent, batch(1, 0)); // nothing: the agent idles, the slot moves on
    }
    expect(order).toEqual(['b0', 'q0', 'b1', 'b2']);
  });

  it('keeps the cursor when queuing fails (no ack) and asks again for the same records', async () => {
    let now = 0;
    let fail = true;
    const queued: number[] = [];
    const scheduler = new PullScheduler({ ...OPTIONS, now: () => now }, async (_state, b) => {
      if (fail) throw new Error('redis down');
      queued.push(b.fromSeq);
    });
    const agent = new FakeTarget('t1', 'c1');
    scheduler.add(agent);
    scheduler.batch(agent, batch(1, 5));
    await flush();
    expect(scheduler.inFlightCount).toBe(0);
    now += 1_000;
    fail = false;
    scheduler.tick();
    expect(agent.pulls().at(-1)).toMatchObject({ after: 0 });
    scheduler.batch(agent, batch(1, 5));
    await flush();
    expect(queued).toEqual([1]);
    expect(agent.pulls().at(-1)).toMatchObject({ after: 5 });
  });

  it('frees the slot of a pull the agent never answers, and of a closed session', () => {
    let now = 0;
    const scheduler = new PullScheduler({ ...OPTIONS, maxInFlight: 1, now: () => now }, async () => {});
    const silent = new FakeTarget('t1', 'c1');
    const other = new FakeTarget('t2', 'c2');
    scheduler.add(silent);
    scheduler.add(other);
    expect(other.pulls()).toHaveLength(0);
    now += 5_001;
    scheduler.tick();
    expect(other.pulls()).toHaveLength(1);
    scheduler.remove(other);
    expect(silent.pulls()).toHaveLength(2);
    expect(scheduler.sessions).toBe(1);
  });

  it('ignores a batch that does not answer the pending pull', async () => {
    const queued: number[] = [];
    const scheduler = new PullScheduler(OPTIONS, async (_s, b) => void queued.push(b.fromSeq));
    const agent = new FakeTarget('t1', 'c1', 10);
    scheduler.add(agent);
    scheduler.batch(agent, batch(3, 2));
    scheduler.batch(agent, batch(11, 2));
    await flush();
    expect(queued).toEqual([]);
  });
});

describe('TelemetryPuller', () => {
  it('acknowledges a batch only after the worker has stored it and the cluster cursor is raised', async () => {
    const steps: string[] = [];
    const added = deferred();
    const producer = {
      // Resolves when the queued job has been completed by the telemetry worker (stored).
      addAndWait: async (
        _spec: unknown,
        data: { fromSeq: number; toSeq: number },
        options: { jobId: string },
      ) => {
        steps.push(`add ${options.jobId}`);
        await added.promise;
        steps.push(`stored ${data.fromSeq}-${data.toSeq}`);
      },
    } as unknown as QueueProducer;
    const cursors = {
      advance: async (_clusterId: string, seq: number) => {
        steps.push(`cursor ${seq}`);
        return seq;
      },
      get: async () => 0,
    } as unknown as TelemetryCursors;
    const logger = { warn() {}, debug() {}, info() {}, error() {} } as unknown as Logger;
    const config = {
      TELEMETRY_PULL_MAX_RECORDS: 100,
      TELEMETRY_MAX_PULLS_IN_FLIGHT: 4,
      TELEMETRY_IDLE_PULL_MS: 1_000,
      TELEMETRY_PULL_TIMEOUT_MS: 5_000,
      TELEMETRY_STORE_TIMEOUT_MS: 30_000,
    } as AgentHubConfig;
    const puller = new TelemetryPuller(config, producer, cursors, logger, {
      registry: new Registry(),
    } as unknown as Metrics);
    const agent = new FakeTarget(
      '00000000-0000-4000-8000-000000000001',
      '00000000-0000-4000-8000-000000000002',
    );
    agent.send = (message) => {
      agent.sent.push(message);
      steps.push(message.type);
    };
    puller.scheduler.add(agent);
    puller.scheduler.batch(agent, batch(1, 2));
    await flush();
    expect(agent.sent.some((m) => m.type === 'telemetry.ack')).toBe(false);
    added.resolve();
    await flush();
    await flush();
    expect(steps).toEqual([
      'telemetry.pull',
      'add flows-00000000-0000-4000-8000-000000000002-1-2',
      'stored 1-2',
      'cursor 2',
      'telemetry.ack',
      'telemetry.pull',
    ]);
    expect(agent.sent.find((m) => m.type === 'telemetry.ack')).toEqual({ type: 'telemetry.ack', upToSeq: 2 });
  });
});

describe('PullScheduler on the HTTP stream', () => {
  it('pulls with telemetry.http.pull after the HTTP cursor, and only agents that announced HTTP telemetry', async () => {
    const queued: number[] = [];
    const scheduler = new PullScheduler(
      OPTIONS,
      async (_state, received) => {
        queued.push(received.toSeq);
      },
      {},
      HTTP_PULL_STREAM,
    );
    const withHttp = Object.assign(new FakeTarget('t1', 'c1', 41), { httpTelemetry: { cursor: 6 } });
    const flowsOnly = new FakeTarget('t1', 'c2', 41);
    scheduler.add(withHttp);
    scheduler.add(flowsOnly);
    expect(withHttp.sent).toEqual([{ type: 'telemetry.http.pull', after: 6, max: 100 }]);
    expect(flowsOnly.sent).toEqual([]);
    scheduler.batch(withHttp, batch(7, 2));
    await flush();
    expect(queued).toEqual([8]);
    expect(withHttp.sent.at(-1)).toEqual({ type: 'telemetry.http.pull', after: 8, max: 100 });
  });
});
