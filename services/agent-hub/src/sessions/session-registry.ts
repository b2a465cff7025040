import {
  AGENT_STATUS_QUEUE,
  CLUSTER_REVOKED_CHANNEL,
  CONFIG_PUBLISHED_CHANNEL,
  INVENTORY_QUEUE,
  INVENTORY_RESYNC_CHANNEL,
  PRESENCE_TTL_SECONDS,
  type Presence,
  presenceKey,
  SESSION_CLAIMED_CHANNEL,
} from '@meshplane/events';
import {
  CONFIG,
  channel,
  InjectLogger,
  type Logger,
  Metrics,
  QueueProducer,
  REDIS,
  ServiceUnavailableError,
} from '@meshplane/platform';
import type { ProtocolErrorCode } from '@meshplane/protocol';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { Counter, Gauge } from 'prom-client';
import type { WebSocket } from 'ws';
import { ConfigSync, type FrameCache } from '../config/config-sync.js';
import type { AgentHubConfig } from '../config.js';
import { TelemetryPuller } from '../telemetry/telemetry-puller.js';
import { AgentSession, type SessionHost } from './agent-session.js';
import { ClustersClient, SESSIONS_PER_CHECK } from './clusters.client.js';

/** Deletes a presence key only if it still belongs to the given session. */
const RELEASE_PRESENCE = `
local value = redis.call('GET', KEYS[1])
if value and string.find(value, ARGV[1], 1, true) then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Every agent session this replica holds, by cluster. One sweep per heartbeat interval pings all
 * sessions, closes silent ones and refreshes their presence in Redis in one pipeline, so a
 * session costs no timers of its own. Redis pub/sub tells every replica about revocations and
 * newer sessions of the same cluster elsewhere.
 */
@Injectable()
export class SessionRegistry implements SessionHost, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sessions = new Map<string, AgentSession>();
  private readonly pending = new Set<AgentSession>();
  private readonly jobSeq = new Map<AgentSession, number>();
  private subscriber?: Redis;
  private sweeper?: NodeJS.Timeout;
  private rechecker?: NodeJS.Timeout;
  private rechecking = false;
  private readonly connected: Gauge;
  private readonly frames: Counter<'type'>;
  private readonly protocolErrors: Counter<'code'>;

  readonly heartbeatIntervalMs: number;
  readonly maxFrameBytes: number;
  readonly maxSnapshotObjects: number;
  readonly maxProtocolErrorsPerMinute: number;

  constructor(
    @Inject(CONFIG) private readonly config: AgentHubConfig,
    @Inject(REDIS) private readonly redis: Redis,
    @InjectLogger() private readonly logger: Logger,
    private readonly clusters: ClustersClient,
    private readonly producer: QueueProducer,
    private readonly configSync: ConfigSync,
    private readonly telemetry: TelemetryPuller,
    metrics: Metrics,
  ) {
    this.heartbeatIntervalMs = config.HEARTBEAT_INTERVAL_MS;
    this.maxFrameBytes = config.AGENT_MAX_FRAME_BYTES;
    this.maxSnapshotObjects = config.MAX_SNAPSHOT_OBJECTS;
    this.maxProtocolErrorsPerMinute = config.MAX_PROTOCOL_ERRORS_PER_MINUTE;
    const registers = [metrics.registry];
    this.connected = new Gauge({
      name: 'meshplane_agents_connected',
      help: 'Agent sessions held',
      registers,
    });
    this.frames = new Counter({
      name: 'meshplane_agent_frames_total',
      help: 'Frames from agents',
      labelNames: ['type'],
      registers,
    });
    this.protocolErrors = new Counter({
      name: 'meshplane_agent_protocol_errors_total',
      help: 'Protocol errors caused by agents, by code',
      labelNames: ['code'],
      registers,
    });
  }

  get size(): number {
    return this.sessions.size;
  }

  session(clusterId: string): AgentSession | undefined {
    return this.sessions.get(clusterId);
  }

  /** A new socket: the session waits for hello; the sweep closes it if none comes in time. */
  attach(socket: WebSocket): AgentSession {
    const session = new AgentSession(socket, this);
    this.pending.add(session);
    return session;
  }

  async onApplicationBootstrap() {
    this.subscriber = this.redis.duplicate();
    const revoked = channel(this.config.REDIS_PREFIX, CLUSTER_REVOKED_CHANNEL.name);
    const claimed = channel(this.config.REDIS_PREFIX, SESSION_CLAIMED_CHANNEL.name);
    const published = channel(this.config.REDIS_PREFIX, CONFIG_PUBLISHED_CHANNEL.name);
    const resync = channel(this.config.REDIS_PREFIX, INVENTORY_RESYNC_CHANNEL.name);
    await this.subscriber.subscribe(revoked, claimed, published, resync);
    this.subscriber.on('message', (name: string, raw: string) => {
      try {
        if (name === published) {
          const { versions, diffs } = CONFIG_PUBLISHED_CHANNEL.schema.parse(JSON.parse(raw));
          // Frames per diff key: clusters that got the same change get the same frame, encoded once.
          const frames = new Map<string, FrameCache>();
          for (const entry of versions) {
            const session = this.sessions.get(entry.clusterId);
            if (!session) continue;
            const diff = entry.diff === undefined ? undefined : diffs[entry.diff];
            let cache = entry.diff === undefined ? undefined : frames.get(entry.diff);
            if (entry.diff !== undefined && !cache) {
              cache = new Map();
              frames.set(entry.diff, cache);
            }
            this.configSync.published(
              session,
              entry.version,
              diff && entry.baseVersion ? { baseVersion: entry.baseVersion, ...diff } : undefined,
              cache,
            );
          }
        } else if (name === resync) {
          const { clusterId, epoch } = INVENTORY_RESYNC_CHANNEL.schema.parse(JSON.parse(raw));
          const session = this.sessions.get(clusterId);
          if (session && session.agent?.epoch === epoch)
            session.requestSnapshot('the stored inventory fell behind');
        } else if (name === revoked) {
          const { clusterId, reason } = CLUSTER_REVOKED_CHANNEL.schema.parse(JSON.parse(raw));
          this.sessions.get(clusterId)?.goodbye(reason, `the cluster was ${reason}`);
        } else if (name === claimed) {
          const claim = SESSION_CLAIMED_CHANNEL.schema.parse(JSON.parse(raw));
          const mine = this.sessions.get(claim.clusterId);
          if (mine && mine.sessionId !== claim.sessionId && (mine.agent?.epoch ?? 0) < claim.epoch) {
            mine.goodbye('superseded', 'a newer session of this cluster connected');
          }
        }
      } catch (error) {
        this.logger.warn({ err: error, channel: name }, 'ignoring a malformed notification');
      }
    });
    this.sweeper = setInterval(() => void this.sweep(), this.config.HEARTBEAT_INTERVAL_MS);
    this.rechecker = setInterval(() => void this.recheck(), this.config.SESSION_RECHECK_INTERVAL_MS);
  }

  async onApplicationShutdown() {
    clearInterval(this.sweeper);
    clearInterval(this.rechecker);
    for (const session of [...this.sessions.values(), ...this.pending]) {
      session.goodbye('shutdown', 'the hub is shutting down; reconnect');
    }
    await this.subscriber?.quit().catch(() => {});
  }

  // ---- SessionHost ---------------------------------------------------------------------------

  async authenticate(hello: Parameters<SessionHost['authenticate']>[0]) {
    try {
      return (await this.clusters.openSession(hello.credential)) ?? 'unauthenticated';
    } catch (error) {
      if (error instanceof ServiceUnavailableError) {
        this.logger.warn({ err: error }, 'cannot authenticate agents: clusters service unavailable');
        return 'unavailable';
      }
      throw error;
    }
  }

  accepted(session: AgentSession) {
    this.pending.delete(session);
    const agent = session.agent!;
    const previous = this.sessions.get(agent.clusterId);
    if (previous && previous !== session)
      previous.goodbye('superseded', 'a newer session of this cluster connected');
    this.sessions.set(agent.clusterId, session);
    this.connected.set(this.sessions.size);
    this.logger.info(
      { clusterId: agent.clusterId, tenantId: agent.tenantId, epoch: agent.epoch },
      'agent connected',
    );
    const claim = SESSION_CLAIMED_CHANNEL.schema.parse({
      clusterId: agent.clusterId,
      sessionId: session.sessionId,
      hubId: this.config.HUB_ID,
      epoch: agent.epoch,
    });
    void this.redis.publish(
      channel(this.config.REDIS_PREFIX, SESSION_CLAIMED_CHANNEL.name),
      JSON.stringify(claim),
    );
    void this.writePresence([session]);
    void this.status(session, 'connected');
    this.configSync.started(session);
    this.telemetry.add(session);
  }

  telemetryCursor(agent: Parameters<SessionHost['telemetryCursor']>[0]) {
    return this.telemetry.cursorFor(agent.clusterId);
  }

  telemetryBatch(session: AgentSession, batch: Parameters<SessionHost['telemetryBatch']>[1]) {
    this.telemetry.scheduler.batch(session, batch);
  }

  httpTelemetryCursor(agent: Parameters<SessionHost['httpTelemetryCursor']>[0]) {
    return this.telemetry.cursorFor(agent.clusterId, 'http');
  }

  httpTelemetryBatch(session: AgentSession, batch: Parameters<SessionHost['httpTelemetryBatch']>[1]) {
    this.telemetry.httpScheduler.batch(session, batch);
  }

  desiredConfigVersion(session: AgentSession, hello: Parameters<SessionHost['desiredConfigVersion']>[1]) {
    return this.configSync.prepare(session, {
      capabilities: hello.agent.capabilities,
      lastAppliedConfigVersion: hello.lastAppliedConfigVersion,
    });
  }

  configResult(session: AgentSession, result: Parameters<SessionHost['configResult']>[1]) {
    this.configSync.result(session, result);
  }

  agentError(session: AgentSession, error: Parameters<SessionHost['agentError']>[1]) {
    this.configSync.agentError(session, error);
  }

  closed(session: AgentSession, reason: string) {
    this.telemetry.remove(session);
    this.pending.delete(session);
    this.jobSeq.delete(session);
    const agent = session.agent;
    if (!agent || this.sessions.get(agent.clusterId) !== session) return;
    this.sessions.delete(agent.clusterId);
    this.connected.set(this.sessions.size);
    this.logger.info({ clusterId: agent.clusterId, reason }, 'agent disconnected');
    void this.redis
      .eval(RELEASE_PRESENCE, 1, presenceKey(this.config.REDIS_PREFIX, agent.clusterId), session.sessionId)
      .catch(() => {});
    void this.status(session, 'disconnected', reason);
  }

  inventory(session: AgentSession, job: Parameters<SessionHost['inventory']>[1]) {
    const agent = session.agent!;
    const seq = (this.jobSeq.get(session) ?? 0) + 1;
    this.jobSeq.set(session, seq);
    const ids = { tenantId: agent.tenantId, clusterId: agent.clusterId, epoch: agent.epoch, seq };
    const data =
      job.kind === 'snapshot'
        ? { kind: 'snapshot' as const, ...ids, objects: job.objects }
        : { kind: 'delta' as const, ...ids, changes: job.changes };
    this.producer
      .add(INVENTORY_QUEUE, data, { jobId: `${agent.clusterId}-${agent.epoch}-${seq}` })
      .catch((error: unknown) => {
        // Redis is down: the inventory can no longer be trusted to be complete, so the agent
        // reconnects and resends a snapshot once the hub can queue again.
        this.logger.error(
          { err: error, clusterId: agent.clusterId },
          'could not queue inventory; resetting session',
        );
        session.close('internal_error', 'inventory could not be queued; reconnect');
      });
  }

  protocolError(code: ProtocolErrorCode) {
    this.protocolErrors.inc({ code });
  }

  frameReceived(type: string) {
    this.frames.inc({ type });
  }

  // ---- internals -----------------------------------------------------------------------------

  private async sweep() {
    const now = Date.now();
    for (const session of this.pending) {
      if (now - session.openedAt > this.config.HELLO_TIMEOUT_MS)
        session.close('unauthenticated', 'no hello in time');
    }
    const live: AgentSession[] = [];
    for (const session of this.sessions.values()) {
      if (now - session.lastSeen > this.config.SESSION_TIMEOUT_MS) {
        session.close('heartbeat_timeout', 'no frame from the agent in time');
        continue;
      }
      session.ping();
      this.configSync.sweep(session, now);
      live.push(session);
    }
    await this.writePresence(live);
  }

  /**
   * Asks the clusters service, in batches, whether every session held is still valid, and ends
   * those whose cluster was revoked or deleted, or that a newer session superseded: revocation
   * and takeover reach the hub by Redis pub/sub, which loses what is published while a
   * subscriber is away. When the clusters service cannot answer, every session stays until the
   * next check.
   */
  private async recheck() {
    if (this.rechecking) return;
    this.rechecking = true;
    try {
      // Only accepted sessions (with their agent) are held by cluster.
      const held = [...this.sessions.values()];
      for (let start = 0; start < held.length; start += SESSIONS_PER_CHECK) {
        const batch = new Map(
          held.slice(start, start + SESSIONS_PER_CHECK).map((session) => [session.agent!.clusterId, session]),
        );
        const ended = await this.clusters.checkSessions(
          [...batch.values()].map((session) => ({
            clusterId: session.agent!.clusterId,
            epoch: session.agent!.epoch,
          })),
        );
        for (const { clusterId, reason } of ended) {
          const session = batch.get(clusterId);
          if (!session || this.sessions.get(clusterId) !== session) continue;
          this.logger.warn({ clusterId, reason }, 'ending a session the re-check found invalid');
          session.goodbye(
            reason,
            reason === 'superseded'
              ? 'a newer session of this cluster connected'
              : `the cluster was ${reason}`,
          );
        }
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'could not re-check agent sessions; they stay until the next check');
    } finally {
      this.rechecking = false;
    }
  }

  private async writePresence(sessions: AgentSession[]) {
    if (sessions.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const session of sessions) {
      const agent = session.agent!;
      const presence: Presence = {
        hubId: this.config.HUB_ID,
        sessionId: session.sessionId,
        epoch: agent.epoch,
        connectedAt: new Date(session.openedAt).toISOString(),
        lastSeenAt: new Date(session.lastSeen).toISOString(),
        agentVersion: session.about?.agentVersion,
        kubernetesVersion: session.about?.kubernetesVersion,
        nodeCount: session.about?.nodeCount,
        calicoVersion: session.about?.calicoVersion,
        calicoKinds: session.about?.calicoKinds,
      };
      pipeline.set(
        presenceKey(this.config.REDIS_PREFIX, agent.clusterId),
        JSON.stringify(presence),
        'EX',
        PRESENCE_TTL_SECONDS,
      );
    }
    await pipeline
      .exec()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'could not write presence'));
  }

  private async status(session: AgentSession, event: 'connected' | 'disconnected', reason?: string) {
    const agent = session.agent!;
    await this.producer
      .add(AGENT_STATUS_QUEUE, {
        tenantId: agent.tenantId,
        clusterId: agent.clusterId,
        epoch: agent.epoch,
        event,
        at: new Date(event === 'connected' ? session.openedAt : session.lastSeen).toISOString(),
        agentVersion: session.about?.agentVersion,
        kubernetesVersion: session.about?.kubernetesVersion,
        nodeCount: session.about?.nodeCount,
        calicoVersion: session.about?.calicoVersion,
        calicoKinds: session.about?.calicoKinds,
        reason: reason?.slice(0, 256),
      })
      .catch((error: unknown) => this.logger.warn({ err: error }, 'could not queue agent status'));
  }
}
