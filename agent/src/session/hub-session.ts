import { EventEmitter } from 'node:events';
import {
  backoffDelay,
  CLOSE_CODES,
  type ConfigPushMessage,
  closeReason,
  decodeFrame,
  encodeFrame,
  type GoodbyeMessage,
  type HelloMessage,
  MAX_FRAME_BYTES,
  type ProtocolError,
  shouldReconnect,
  type TelemetryBatchMessage,
  type TelemetryHttpBatchMessage,
  type ToAgentMessage,
  type ToHubMessage,
  type WelcomeMessage,
} from '@meshplane/protocol';
import WebSocket, { type RawData } from 'ws';
import { describeError } from '../agent.errors.js';
import type { FrameSender } from '../inventory/inventory-publisher.js';
import type { Logger } from '../log.js';
import { emptySessionStats, type SessionStats } from './session-stats.js';

export interface HubSessionOptions {
  /** `ws[s]://host/agents`. */
  url: string;
  logger: Logger;
  /** Builds the `hello` for each connection (the credential may have rotated meanwhile). */
  hello: () => HelloMessage;
  /** Whether `config.push` frames are handled (emitted as `configPush`); otherwise they are refused. */
  acceptsConfig?: () => boolean;
  /** The flow buffer answering `telemetry.pull` and freed by `telemetry.ack`; none = empty batches. */
  telemetry?: TelemetryResponder;
  /** The HTTP record buffer answering `telemetry.http.pull`, freed by `telemetry.http.ack`. */
  httpTelemetry?: HttpTelemetryResponder;
  /** Awaited before each connection attempt, e.g. to reread a credential the hub refused. */
  prepareConnect?: () => Promise<void>;
  backoff: { baseMs: number; capMs: number; random?: () => number };
  /** A session that lasted this long after `welcome` resets the backoff. */
  stableSessionMs: number;
  welcomeTimeoutMs: number;
  now?: () => number;
}

/** What answers the hub's telemetry pulls (the agent's flow buffer). */
export interface TelemetryResponder {
  batch(after: number, max: number, maxFrameBytes: number): TelemetryBatchMessage;
  ack(upToSeq: number): void;
}

/** What answers the hub's HTTP record pulls (the agent's HTTP buffer). */
export interface HttpTelemetryResponder {
  batch(after: number, max: number, maxFrameBytes: number): TelemetryHttpBatchMessage;
  ack(upToSeq: number): void;
}

export interface DisconnectInfo {
  code: number;
  reason: string;
  /** Whether this connection had been welcomed. */
  welcomed: boolean;
  willReconnect: boolean;
  /** Wait before the next attempt, when reconnecting. */
  delayMs?: number;
}

export interface HubSessionEvents {
  connecting: [{ attempt: number }];
  open: [];
  welcome: [WelcomeMessage];
  inventoryGap: [];
  /** A `config.push` arrived on a welcomed session (only when `acceptsConfig` says so). */
  configPush: [ConfigPushMessage];
  goodbye: [GoodbyeMessage];
  frameRejected: [ProtocolError];
  /** The hub refused the credential (error `unauthenticated` or close 4401). */
  credentialRejected: [];
  disconnected: [DisconnectInfo];
  /** The hub closed with a code after which the agent must not reconnect (revoked, deleted, ...). */
  terminated: [{ code: number; reason: string }];
}

/** How many heartbeat intervals of silence make a session dead. */
const SILENT_INTERVALS = 3;

/**
 * One logical connection to the hub that survives socket drops: connect, `hello`, wait for
 * `welcome`, heartbeats both ways, reconnect with full-jitter backoff, and stop for good after
 * a close code that forbids reconnecting. Every hub frame goes through `decodeFrame`; a frame
 * it refuses is counted, logged and answered with an `error`, never fatal.
 */
export class HubSession extends EventEmitter<HubSessionEvents> implements FrameSender {
  readonly stats: SessionStats = emptySessionStats();
  private socket: WebSocket | undefined;
  private welcome: WelcomeMessage | undefined;
  private welcomedAt: number | undefined;
  private lastReceivedAt = 0;
  private attempt = 0;
  private nonce = 0;
  private stopping = false;
  /** Why we closed the socket ourselves, when we did (a terminated socket reports 1006). */
  private localClose: { code: number; reason: string } | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private welcomeTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly options: HubSessionOptions) {
    super();
    this.now = options.now ?? Date.now;
  }

  /** Whether a welcomed session is open and heard from within the heartbeat budget. */
  get healthy(): boolean {
    if (this.welcome === undefined || this.socket?.readyState !== WebSocket.OPEN) return false;
    return this.now() - this.lastReceivedAt <= SILENT_INTERVALS * this.welcome.heartbeatIntervalMs;
  }

  get currentWelcome(): WelcomeMessage | undefined {
    return this.welcome;
  }

  get maxFrameBytes(): number {
    return Math.min(this.welcome?.maxFrameBytes ?? MAX_FRAME_BYTES, MAX_FRAME_BYTES);
  }

  start(): void {
    void this.connect();
  }

  /** Says goodbye (`shutdown`), closes, and stops reconnecting. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.reconnectTimer);
    this.clearSessionTimers();
    const socket = this.socket;
    if (socket === undefined || socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    if (socket.readyState === WebSocket.OPEN) {
      this.send({ type: 'goodbye', reason: 'shutdown' });
      socket.close(CLOSE_CODES.going_away, 'shutdown');
    } else {
      socket.terminate();
    }
    const timer = setTimeout(() => socket.terminate(), 1_000);
    await closed;
    clearTimeout(timer);
  }

  send(message: ToHubMessage): boolean {
    const socket = this.socket;
    if (socket?.readyState !== WebSocket.OPEN) return false;
    let frame: string;
    try {
      frame = encodeFrame(message, { maxFrameBytes: this.maxFrameBytes });
    } catch (error) {
      this.stats.encodeFailures += 1;
      this.options.logger.error('could not encode a frame; not sent', {
        type: message.type,
        error: describeError(error),
      });
      return false;
    }
    socket.send(frame);
    this.stats.framesSent += 1;
    return true;
  }

  private async connect(): Promise<void> {
    if (this.stopping) return;
    try {
      await this.options.prepareConnect?.();
    } catch (error) {
      this.options.logger.warn('preparing the connection failed', { error: describeError(error) });
    }
    if (this.stopping) return;
    this.stats.connectAttempts += 1;
    this.emit('connecting', { attempt: this.attempt });
    this.localClose = undefined;
    this.welcome = undefined;
    this.welcomedAt = undefined;
    const socket = new WebSocket(this.options.url, {
      handshakeTimeout: this.options.welcomeTimeoutMs,
      maxPayload: MAX_FRAME_BYTES,
    });
    this.socket = socket;
    socket.on('open', () => this.onOpen(socket));
    socket.on('message', (data, isBinary) => this.onFrame(socket, data, isBinary));
    socket.on('close', (code, reason) => this.onClose(socket, code, reason.toString('utf8')));
    socket.on('error', (error) => this.options.logger.warn('hub socket error', { error: error.message }));
  }

  private onOpen(socket: WebSocket): void {
    if (socket !== this.socket) return;
    this.stats.connects += 1;
    this.lastReceivedAt = this.now();
    this.emit('open');
    let hello: HelloMessage;
    try {
      hello = this.options.hello();
    } catch (error) {
      this.options.logger.error('could not build hello', { error: describeError(error) });
      this.closeLocally(CLOSE_CODES.internal_error, 'internal_error');
      return;
    }
    this.send(hello);
    this.welcomeTimer = setTimeout(() => {
      this.options.logger.warn('no welcome from the hub in time; reconnecting', {
        timeoutMs: this.options.welcomeTimeoutMs,
      });
      this.closeLocally(CLOSE_CODES.heartbeat_timeout, 'welcome_timeout');
    }, this.options.welcomeTimeoutMs);
  }

  private onFrame(socket: WebSocket, data: RawData, isBinary: boolean): void {
    if (socket !== this.socket) return;
    this.stats.framesReceived += 1;
    this.lastReceivedAt = this.now();
    const decoded = decodeFrame(isBinary ? (data as Buffer) : data.toString('utf8'), 'toAgent');
    if (!decoded.ok) {
      this.rejectFrame(decoded.error);
      return;
    }
    this.handle(decoded.message);
  }

  private rejectFrame(error: ProtocolError): void {
    this.stats.malformedFrames += 1;
    this.options.logger.warn('refused a hub frame', {
      code: error.code,
      reason: error.message,
      ref: error.ref,
    });
    this.emit('frameRejected', error);
    if (error.code === 'frame_too_large') {
      this.closeLocally(CLOSE_CODES.frame_too_large, 'frame_too_large');
      return;
    }
    // Never answer an error with an error, so two peers cannot loop.
    if (error.ref === 'error') return;
    const answer: ToHubMessage = { type: 'error', code: error.code, message: error.message };
    if (error.ref !== undefined) answer.ref = error.ref;
    this.send(answer);
  }

  private handle(message: ToAgentMessage): void {
    if (this.welcome === undefined && !['welcome', 'error', 'goodbye', 'ping'].includes(message.type)) {
      this.unexpected(message, 'before welcome');
      return;
    }
    switch (message.type) {
      case 'welcome':
        this.onWelcome(message);
        return;
      case 'ping':
        this.stats.pingsAnswered += 1;
        this.send({ type: 'pong', nonce: message.nonce, sentAt: message.sentAt });
        return;
      case 'pong':
        this.stats.pongsReceived += 1;
        this.stats.lastRoundTripMs = Math.max(0, this.now() - message.sentAt);
        return;
      case 'error':
        this.onError(message);
        return;
      case 'goodbye':
        this.options.logger.warn('the hub said goodbye', {
          reason: message.reason,
          message: message.message,
        });
        this.emit('goodbye', message);
        return;
      case 'config.push':
        if (this.options.acceptsConfig?.() === true) {
          this.emit('configPush', message);
          return;
        }
        // This agent does not announce the config capability; say so rather than ignore it.
        this.send({
          type: 'error',
          code: 'unexpected_message',
          message: 'this agent does not apply config (no config capability announced)',
          ref: message.id ?? message.type,
        });
        this.unexpected(message, 'not supported by this agent');
        return;
      case 'telemetry.pull':
        // Without a flow buffer, an empty batch tells the hub there is nothing after its cursor.
        this.send(
          this.options.telemetry?.batch(message.after, message.max, this.maxFrameBytes) ?? {
            type: 'telemetry.batch',
            fromSeq: message.after + 1,
            toSeq: message.after,
            records: [],
            dropped: 0,
          },
        );
        return;
      case 'telemetry.ack':
        this.options.telemetry?.ack(message.upToSeq);
        return;
      case 'telemetry.http.pull':
        this.send(
          this.options.httpTelemetry?.batch(message.after, message.max, this.maxFrameBytes) ?? {
            type: 'telemetry.http.batch',
            fromSeq: message.after + 1,
            toSeq: message.after,
            records: [],
            dropped: 0,
          },
        );
        return;
      case 'telemetry.http.ack':
        this.options.httpTelemetry?.ack(message.upToSeq);
        return;
    }
  }

  private onWelcome(welcome: WelcomeMessage): void {
    if (this.welcome !== undefined) {
      this.unexpected(welcome, 'second welcome');
      return;
    }
    clearTimeout(this.welcomeTimer);
    this.welcome = welcome;
    this.welcomedAt = this.now();
    this.stats.welcomes += 1;
    this.options.logger.info('session welcomed', {
      clusterId: welcome.clusterId,
      tenantId: welcome.tenantId,
      sessionId: welcome.sessionId,
      protocol: welcome.protocol,
      heartbeatIntervalMs: welcome.heartbeatIntervalMs,
    });
    this.heartbeatTimer = setInterval(() => this.heartbeat(), welcome.heartbeatIntervalMs);
    this.emit('welcome', welcome);
  }

  private onError(message: Extract<ToAgentMessage, { type: 'error' }>): void {
    this.stats.errorsReceived += 1;
    this.options.logger.warn('the hub reported an error', {
      code: message.code,
      reason: message.message,
      ref: message.ref,
    });
    if (message.code === 'inventory_gap') this.emit('inventoryGap');
    if (message.code === 'unauthenticated') this.emit('credentialRejected');
  }

  private heartbeat(): void {
    const welcome = this.welcome;
    if (welcome === undefined) return;
    const silentFor = this.now() - this.lastReceivedAt;
    if (silentFor > SILENT_INTERVALS * welcome.heartbeatIntervalMs) {
      this.stats.heartbeatTimeouts += 1;
      this.options.logger.warn('hub silent for too long; reconnecting', { silentForMs: silentFor });
      this.closeLocally(CLOSE_CODES.heartbeat_timeout, 'heartbeat_timeout');
      return;
    }
    this.nonce += 1;
    if (this.send({ type: 'ping', nonce: `a-${this.nonce}`, sentAt: this.now() })) this.stats.pingsSent += 1;
  }

  private unexpected(message: ToAgentMessage, why: string): void {
    this.stats.unexpectedFrames += 1;
    this.options.logger.warn('unexpected hub frame', { type: message.type, why });
  }

  /** Drops the socket at once (a dead peer would never finish a closing handshake). */
  private closeLocally(code: number, reason: string): void {
    this.localClose = { code, reason };
    this.socket?.terminate();
  }

  private onClose(socket: WebSocket, wireCode: number, wireReason: string): void {
    if (socket !== this.socket) return;
    this.clearSessionTimers();
    const welcomed = this.welcome !== undefined;
    const sessionLength = this.welcomedAt === undefined ? 0 : this.now() - this.welcomedAt;
    this.welcome = undefined;
    this.stats.disconnects += 1;
    const code = this.localClose?.code ?? wireCode;
    const reason = this.localClose?.reason ?? (wireReason || closeReason(code));
    if (this.stopping) {
      this.emit('disconnected', { code, reason, welcomed, willReconnect: false });
      return;
    }
    if (!shouldReconnect(code)) {
      this.options.logger.error('the hub closed the session for good; not reconnecting', { code, reason });
      this.emit('disconnected', { code, reason, welcomed, willReconnect: false });
      this.emit('terminated', { code, reason });
      return;
    }
    if (code === CLOSE_CODES.unauthenticated) this.emit('credentialRejected');
    if (sessionLength >= this.options.stableSessionMs) this.attempt = 0;
    const delayMs = backoffDelay(this.attempt, this.options.backoff);
    this.attempt += 1;
    this.options.logger.info('disconnected from the hub; reconnecting', { code, reason, delayMs });
    this.emit('disconnected', { code, reason, welcomed, willReconnect: true, delayMs });
    this.reconnectTimer = setTimeout(() => void this.connect(), delayMs);
  }

  private clearSessionTimers(): void {
    clearTimeout(this.welcomeTimer);
    clearInterval(this.heartbeatTimer);
  }
}
