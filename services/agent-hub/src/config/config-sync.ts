import {
  type ClusterConfigRequest,
  type ClusterConfigResponse,
  CONFIG_RESULT_QUEUE,
  type ConfigResult as ConfigResultRecord,
  MAX_CLUSTER_CONFIG_BATCH,
  MAX_RESULT_FAILURES,
  MAX_RESULTS_PER_JOB,
} from '@meshplane/events';
import { CONFIG, InjectLogger, type Logger, Metrics, QueueProducer } from '@meshplane/platform';
import {
  type ConfigObject,
  type ConfigObjectRef,
  type ConfigPushMessage,
  encodeFrame,
  type MessageTo,
} from '@meshplane/protocol';
import { Inject, Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import type { AgentHubConfig } from '../config.js';
import type { AgentSession } from '../sessions/agent-session.js';
import { PoliciesClient } from './policies.client.js';

/** The capability an agent announces when it applies config bundles. */
export const CONFIG_CAPABILITY = 'config.v1';

type ConfigResult = Extract<MessageTo<'toHub'>, { type: 'config.result' }>;
type AgentError = Extract<MessageTo<'toHub'>, { type: 'error' }>;

/**
 * Lookups made in the same turn of the event loop go to the policies service as one call (a
 * change that reaches a thousand clusters costs a few calls, not a thousand).
 */
class LookupBatcher {
  private queued: {
    request: ClusterConfigRequest;
    resolve: (r: ClusterConfigResponse) => void;
    reject: (e: unknown) => void;
  }[] = [];
  private scheduled = false;

  constructor(
    private readonly call: (requests: ClusterConfigRequest[]) => Promise<ClusterConfigResponse[]>,
  ) {}

  lookup(request: ClusterConfigRequest): Promise<ClusterConfigResponse> {
    return new Promise((resolve, reject) => {
      this.queued.push({ request, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.flush());
    });
  }

  private flush() {
    this.scheduled = false;
    const queued = this.queued;
    this.queued = [];
    for (let start = 0; start < queued.length; start += MAX_CLUSTER_CONFIG_BATCH) {
      const batch = queued.slice(start, start + MAX_CLUSTER_CONFIG_BATCH);
      this.call(batch.map((item) => item.request)).then(
        (answers) => {
          for (const [index, item] of batch.entries()) item.resolve(answers[index]!);
        },
        (error: unknown) => {
          for (const item of batch) item.reject(error);
        },
      );
    }
  }
}

/**
 * Frames encoded for one announcement, by version and base version (the diff's key within the
 * announcement is the same for equal versions and bases); null when a frame would be too large.
 */
export type FrameCache = Map<string, string | null>;

/** What the hub knows of one session's config. */
interface SessionConfig {
  /** The newest version the agent applied completely. */
  applied: number;
  /** The newest desired version this hub has heard of (welcome lookup, announcements). */
  desired: number;
  /** The version pushed and not yet answered. */
  inFlight?: { version: number; sentAt: number };
  /** A version the agent processed with failures: not pushed again in this session. */
  failed?: number;
  /** The agent asked for a full bundle (its base did not match a diff). */
  full: boolean;
  /** A lookup is running; `again` asks for one more after it. */
  syncing: boolean;
  again: boolean;
  /** The last lookup failed (policies unavailable): the sweep retries. */
  retry: boolean;
  /** When the desired version was last looked up. */
  checkedAt: number;
  /** The push looked up before `welcome`, sent right after it. */
  prepared?: ConfigPushMessage;
}

/**
 * Brings each config-capable session to its cluster's desired version: one push in flight per
 * session, a diff on top of what the agent applied when the policies service still has that
 * version, the full bundle otherwise. Results go to the policies service through the
 * `config-result` queue. State lives on this replica only: a reconnecting agent says in `hello`
 * what it applied, and everything is derived from that again.
 */
@Injectable()
export class ConfigSync {
  private readonly sessions = new WeakMap<AgentSession, SessionConfig>();
  private readonly pushLatency: Histogram;
  private readonly pushes: Counter<'mode'>;
  private readonly lookups: LookupBatcher;
  private pendingResults: ConfigResultRecord[] = [];

  constructor(
    @Inject(CONFIG) private readonly config: AgentHubConfig,
    private readonly policies: PoliciesClient,
    private readonly producer: QueueProducer,
    @InjectLogger() private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.lookups = new LookupBatcher((requests) => this.policies.clusterConfigs(requests));
    this.pushLatency = new Histogram({
      name: 'meshplane_config_push_seconds',
      help: 'From sending a config.push to receiving its config.result',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [metrics.registry],
    });
    this.pushes = new Counter({
      name: 'meshplane_config_pushes_total',
      help: 'Config pushes sent to agents, by mode',
      labelNames: ['mode'],
      registers: [metrics.registry],
    });
  }

  /**
   * Before `welcome`: the cluster's desired version, looked up once; the push it comes with is
   * kept for {@link started}. Agents without the config capability are left alone (0).
   */
  async prepare(
    session: AgentSession,
    hello: { capabilities: readonly string[]; lastAppliedConfigVersion: number },
  ): Promise<number> {
    const agent = session.agent;
    if (!agent || !hello.capabilities.includes(CONFIG_CAPABILITY)) return 0;
    const state: SessionConfig = {
      applied: hello.lastAppliedConfigVersion,
      desired: 0,
      full: false,
      checkedAt: Date.now(),
      syncing: false,
      again: false,
      retry: false,
    };
    this.sessions.set(session, state);
    try {
      const { desiredVersion, push } = await this.lookups.lookup({
        tenantId: agent.tenantId,
        clusterId: agent.clusterId,
        appliedVersion: state.applied,
      });
      state.prepared = push;
      state.desired = desiredVersion;
      return desiredVersion;
    } catch (error) {
      state.retry = true;
      this.logger.warn(
        { err: error, clusterId: agent.clusterId },
        'could not look up the cluster config; retrying',
      );
      return 0;
    }
  }

  /**
   * After `welcome`: pushes what {@link prepare} found. The agent's own word on what it applied
   * is recorded as a result, so the status is right even when an earlier result was lost.
   */
  started(session: AgentSession) {
    const state = this.sessions.get(session);
    if (!state) return;
    if (state.applied > 0) {
      this.report(session, {
        version: state.applied,
        complete: true,
        counts: { applied: 0, unchanged: 0, pruned: 0, failed: 0 },
        failures: [],
      });
    }
    const prepared = state.prepared;
    state.prepared = undefined;
    if (prepared && prepared.version > state.applied) this.send(session, state, prepared);
    else if (state.retry) void this.sync(session);
  }

  /**
   * The cluster has a new desired version (announced by the policies worker). When the
   * announcement carries the diff from exactly what the agent holds, it is pushed as is;
   * otherwise the push is looked up.
   */
  published(
    session: AgentSession,
    version: number,
    diff?: { baseVersion: number; upserts: ConfigObject[]; deletes: ConfigObjectRef[] },
    frames?: FrameCache,
  ) {
    const state = this.sessions.get(session);
    if (!state) return;
    state.desired = Math.max(state.desired, version);
    if (version <= state.applied) return;
    if (diff && diff.baseVersion === state.applied && !state.full && !state.inFlight && !state.syncing) {
      if (session.state !== 'active' || version === state.failed) return;
      this.send(session, state, { type: 'config.push', version, mode: 'diff', ...diff }, frames);
      return;
    }
    void this.sync(session);
  }

  result(session: AgentSession, message: ConfigResult) {
    const state = this.sessions.get(session);
    if (!state) return;
    if (state.inFlight?.version === message.version) {
      this.pushLatency.observe((Date.now() - state.inFlight.sentAt) / 1000);
      state.inFlight = undefined;
    }
    const failures = message.outcomes.filter((outcome) => outcome.result === 'failed');
    const counts = { applied: 0, unchanged: 0, pruned: 0, failed: 0 };
    for (const outcome of message.outcomes) counts[outcome.result] += 1;
    const complete = failures.length === 0;
    if (complete) state.applied = Math.max(state.applied, message.version);
    else state.failed = message.version;
    this.report(session, {
      version: message.version,
      complete,
      counts,
      failures: failures.slice(0, MAX_RESULT_FAILURES),
    });
    // Only look again when a newer version is known (the periodic re-check catches the rest).
    if (state.desired > state.applied && state.desired !== state.failed) void this.sync(session);
  }

  /** An `error` frame from the agent: a refused push is answered with what the agent needs. */
  agentError(session: AgentSession, error: AgentError) {
    const state = this.sessions.get(session);
    if (!state || (error.code !== 'config_base_mismatch' && error.code !== 'stale_config')) return;
    const refused = state.inFlight?.version;
    state.inFlight = undefined;
    if (error.code === 'config_base_mismatch') state.full = true;
    // stale: the agent already holds this version or a newer one.
    else if (refused !== undefined) state.applied = Math.max(state.applied, refused);
    void this.sync(session);
  }

  /** Called by the registry's sweep: retries failed lookups and pushes left unanswered too long. */
  sweep(session: AgentSession, now: number) {
    const state = this.sessions.get(session);
    if (!state) return;
    if (state.inFlight && now - state.inFlight.sentAt > this.config.CONFIG_PUSH_TIMEOUT_MS) {
      this.logger.warn(
        { clusterId: session.agent?.clusterId, version: state.inFlight.version },
        'config push unanswered; pushing again',
      );
      state.inFlight = undefined;
      state.full = true;
      void this.sync(session);
    } else if (state.retry || now - state.checkedAt > this.config.CONFIG_RECHECK_MS) {
      // Also a periodic look: a `config-published` notification lost with Redis is caught here.
      void this.sync(session);
    }
  }

  private async sync(session: AgentSession): Promise<void> {
    const state = this.sessions.get(session);
    const agent = session.agent;
    if (!state || !agent || session.state !== 'active') return;
    if (state.syncing || state.inFlight) {
      state.again = true;
      return;
    }
    state.syncing = true;
    state.checkedAt = Date.now();
    state.again = false;
    state.retry = false;
    try {
      const { desiredVersion, push } = await this.lookups.lookup({
        tenantId: agent.tenantId,
        clusterId: agent.clusterId,
        appliedVersion: state.applied,
        full: state.full,
      });
      state.desired = Math.max(state.desired, desiredVersion);
      if (
        push &&
        push.version > state.applied &&
        push.version !== state.failed &&
        session.state === 'active'
      ) {
        this.send(session, state, push);
      }
    } catch (error) {
      state.retry = true;
      this.logger.warn(
        { err: error, clusterId: agent.clusterId },
        'could not look up the cluster config; retrying',
      );
    } finally {
      state.syncing = false;
    }
    if (state.again && !state.inFlight) void this.sync(session);
  }

  /**
   * Encodes a push once per announcement and diff (a change that reaches a thousand clusters is
   * usually one frame for all of them), then sends it.
   */
  private send(session: AgentSession, state: SessionConfig, push: ConfigPushMessage, frames?: FrameCache) {
    const key = push.mode === 'diff' ? `${push.version}/${push.baseVersion}` : undefined;
    let frame = key === undefined ? undefined : frames?.get(key);
    if (frame === undefined) {
      try {
        frame = encodeFrame(
          { ...push, id: `config-${push.version}` },
          { maxFrameBytes: session.maxFrameBytes },
        );
      } catch {
        frame = null;
      }
      if (key !== undefined) frames?.set(key, frame);
    }
    const sent = frame === null ? 'too_large' : session.sendFrame(frame) ? 'sent' : 'closed';
    if (sent === 'too_large') {
      // Nothing the agent can do about it: report it as a failed version so that it shows.
      state.failed = push.version;
      this.report(session, {
        version: push.version,
        complete: false,
        counts: { applied: 0, unchanged: 0, pruned: 0, failed: 1 },
        failures: [
          {
            kind: 'Bundle',
            name: `version-${push.version}`,
            result: 'failed',
            message: `the bundle does not fit in one ${session.maxFrameBytes}-byte frame`,
          },
        ],
      });
      return;
    }
    if (sent !== 'sent') return;
    state.inFlight = { version: push.version, sentAt: Date.now() };
    state.full = false;
    this.pushes.inc({ mode: push.mode });
  }

  /** Results of one turn of the event loop go to the queue in one round trip. */
  private report(
    session: AgentSession,
    result: Pick<ConfigResultRecord, 'version' | 'complete' | 'counts' | 'failures'>,
  ) {
    const agent = session.agent!;
    this.pendingResults.push({
      tenantId: agent.tenantId,
      clusterId: agent.clusterId,
      epoch: agent.epoch,
      at: new Date().toISOString(),
      ...result,
    });
    if (this.pendingResults.length > 1) return;
    setImmediate(() => {
      const results = this.pendingResults.splice(0);
      for (let start = 0; start < results.length; start += MAX_RESULTS_PER_JOB) {
        const chunk = results.slice(start, start + MAX_RESULTS_PER_JOB);
        void this.producer
          .add(CONFIG_RESULT_QUEUE, { results: chunk })
          .catch((error: unknown) =>
            this.logger.warn({ err: error, results: chunk.length }, 'could not queue config results'),
          );
      }
    });
  }
}
