import { randomUUID } from 'node:crypto';
import {
  CLOSE_CODES,
  type CloseReason,
  closeCodeForGoodbye,
  decodeFrame,
  encodeFrame,
  HTTP_TELEMETRY_CAPABILITY,
  type InventoryObject,
  type MessageTo,
  negotiateProtocol,
  type ProtocolErrorCode,
  TELEMETRY_CAPABILITY,
} from '@meshplane/protocol';
import type { RawData, WebSocket } from 'ws';
import type { AuthenticatedAgent } from './clusters.client.js';

type ToHub = MessageTo<'toHub'>;
type Hello = Extract<ToHub, { type: 'hello' }>;
type GoodbyeReason = 'revoked' | 'shutdown' | 'superseded' | 'deleted' | 'protocol_error';

/** What a session needs from the hub around it. */
export interface SessionHost {
  heartbeatIntervalMs: number;
  maxFrameBytes: number;
  maxSnapshotObjects: number;
  maxProtocolErrorsPerMinute: number;
  authenticate(hello: Hello): Promise<AuthenticatedAgent | 'unauthenticated' | 'revoked' | 'unavailable'>;
  accepted(session: AgentSession): void;
  closed(session: AgentSession, reason: string): void;
  inventory(
    session: AgentSession,
    job:
      | { kind: 'snapshot'; objects: InventoryObject[] }
      | { kind: 'delta'; changes: Extract<ToHub, { type: 'inventory.delta' }>['changes'] },
  ): void;
  protocolError(code: ProtocolErrorCode): void;
  frameReceived(type: string): void;
  /** Before welcome: the cluster's desired config version (0 when unknown or not applicable). */
  desiredConfigVersion(session: AgentSession, hello: Hello): Promise<number>;
  configResult(session: AgentSession, result: Extract<ToHub, { type: 'config.result' }>): void;
  agentError(session: AgentSession, error: Extract<ToHub, { type: 'error' }>): void;
  /** `welcome.telemetryCursor`: the highest flow seq queued for the cluster; undefined if unknown. */
  telemetryCursor(agent: AuthenticatedAgent): Promise<number | undefined>;
  telemetryBatch(session: AgentSession, batch: Extract<ToHub, { type: 'telemetry.batch' }>): void;
  /** `welcome.httpTelemetryCursor`: the highest HTTP record seq queued for the cluster. */
  httpTelemetryCursor(agent: AuthenticatedAgent): Promise<number | undefined>;
  httpTelemetryBatch(session: AgentSession, batch: Extract<ToHub, { type: 'telemetry.http.batch' }>): void;
}

/**
 * One agent's websocket: hello → authentication → welcome, then heartbeats and inventory. Frames
 * that do not decode get an `error` frame (and count towards a limit); nothing an agent sends
 * can throw out of here. Timers are not per session: the registry sweeps all sessions at once.
 */
export class AgentSession {
  readonly sessionId = randomUUID();
  agent?: AuthenticatedAgent;
  /** What the agent said about itself in hello (the credential is not kept). */
  about?: {
    agentVersion: string;
    kubernetesVersion?: string;
    nodeCount?: number;
    calicoVersion?: string;
    calicoKinds?: string[];
    capabilities: readonly string[];
    lastAppliedConfigVersion: number;
  };
  /** Set when the agent announced telemetry: the cursor the hub's pulls start after. */
  telemetry?: { cursor: number };
  /** Set when the agent announced HTTP telemetry (`telemetry.http.v1`). */
  httpTelemetry?: { cursor: number };
  lastSeen = Date.now();
  readonly openedAt = Date.now();
  state: 'awaiting-hello' | 'authenticating' | 'active' | 'closed' = 'awaiting-hello';
  private errorsThisMinute = 0;
  private errorWindowStart = Date.now();
  private snapshot?: { id: string; nextPart: number; objects: InventoryObject[] };
  private lastDeltaSeq?: number;
  /** False until a complete snapshot, and again after a gap, until the next snapshot. */
  private inventoryReady = false;

  constructor(
    readonly socket: WebSocket,
    private readonly host: SessionHost,
  ) {
    socket.on('message', (data, isBinary) => {
      this.onFrame(data, isBinary).catch(() => this.close('internal_error', 'internal error'));
    });
    socket.on('close', (code) => this.onClosed(`socket closed (${code})`));
    socket.on('error', () => this.onClosed('socket error'));
  }

  get maxFrameBytes(): number {
    return this.host.maxFrameBytes;
  }

  /** Sends a frame already encoded (and checked) by the caller; false when the socket is not open. */
  sendFrame(frame: string): boolean {
    if (this.socket.readyState !== this.socket.OPEN) return false;
    this.socket.send(frame);
    return true;
  }

  /** Sends one frame; a session that cannot send is closed, never thrown out of. */
  send(message: MessageTo<'toAgent'>): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    try {
      this.socket.send(encodeFrame(message, { maxFrameBytes: this.host.maxFrameBytes }));
    } catch {
      this.close('internal_error', 'could not encode a frame');
    }
  }

  /**
   * Asks the agent for a whole new snapshot (`inventory_gap`); deltas are refused until it is
   * complete. Used when the stored inventory may have missed a change on the way.
   */
  requestSnapshot(reason: string): void {
    if (this.state !== 'active') return;
    this.inventoryReady = false;
    this.snapshot = undefined;
    this.send({ type: 'error', code: 'inventory_gap', message: `${reason}; send a new snapshot` });
  }

  ping(): void {
    this.send({ type: 'ping', nonce: randomUUID().slice(0, 8), sentAt: Date.now() });
  }

  goodbye(reason: GoodbyeReason, message: string): void {
    this.send({ type: 'goodbye', reason, message });
    this.close(undefined, message, closeCodeForGoodbye(reason));
  }

  close(reason: CloseReason | undefined, text: string, code = reason ? CLOSE_CODES[reason] : 1000): void {
    if (this.state === 'closed') return;
    this.socket.close(code, text.slice(0, 120));
    this.onClosed(text);
    // A peer that never completes the closing handshake does not keep the socket alive.
    setTimeout(() => this.socket.terminate(), 2_000).unref();
  }

  private onClosed(reason: string) {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.snapshot = undefined;
    this.host.closed(this, reason);
  }

  private error(code: ProtocolErrorCode, message: string, ref?: string) {
    this.host.protocolError(code);
    this.send({ type: 'error', code, message: message.slice(0, 1000), ...(ref ? { ref } : {}) });
    const now = Date.now();
    if (now - this.errorWindowStart > 60_000) {
      this.errorWindowStart = now;
      this.errorsThisMinute = 0;
    }
    this.errorsThisMinute += 1;
    if (this.errorsThisMinute > this.host.maxProtocolErrorsPerMinute) {
      this.close('protocol_error', 'too many protocol errors');
    }
  }

  private async onFrame(data: RawData, isBinary: boolean) {
    if (this.state === 'closed') return;
    this.lastSeen = Date.now();
    if (isBinary) return this.error('malformed_json', 'frames must be UTF-8 JSON text');
    const decoded = decodeFrame(data as Buffer, 'toHub', { maxFrameBytes: this.host.maxFrameBytes });
    if (!decoded.ok) {
      if (decoded.error.code === 'frame_too_large')
        return this.close('frame_too_large', decoded.error.message);
      return this.error(decoded.error.code, decoded.error.message, decoded.error.ref);
    }
    const message = decoded.message;
    this.host.frameReceived(message.type);
    if (this.state === 'awaiting-hello') {
      if (message.type !== 'hello')
        return this.error('unexpected_message', 'the first frame must be hello', message.type);
      return this.onHello(message);
    }
    if (this.state !== 'active') return this.error('unexpected_message', 'wait for welcome', message.type);
    switch (message.type) {
      case 'ping':
        return this.send({ type: 'pong', nonce: message.nonce, sentAt: message.sentAt });
      case 'pong':
        return;
      case 'inventory.snapshot':
        return this.onSnapshotPart(message);
      case 'inventory.delta':
        return this.onDelta(message);
      case 'goodbye':
        return this.close('normal', `agent said goodbye: ${message.reason}`);
      case 'config.result':
        return this.host.configResult(this, message);
      case 'telemetry.batch':
        return this.host.telemetryBatch(this, message);
      case 'telemetry.http.batch':
        return this.host.httpTelemetryBatch(this, message);
      case 'error':
        return this.host.agentError(this, message);
      default:
        return this.error('unexpected_message', `${message.type} is not expected now`, message.type);
    }
  }

  private async onHello(hello: Hello) {
    const protocol = negotiateProtocol(hello.protocols);
    if (protocol === null) {
      this.error('unsupported_protocol', `no common protocol version; the hub speaks 1`);
      return this.close('unsupported_protocol', 'unsupported protocol');
    }
    this.state = 'authenticating';
    const result = await this.host.authenticate(hello);
    if (this.state !== 'authenticating') return;
    if (result === 'unavailable') {
      this.error('internal', 'the hub cannot verify credentials right now; retry later');
      return this.close('going_away', 'try again later');
    }
    if (result === 'unauthenticated') {
      this.error('unauthenticated', 'the credential is unknown, expired or revoked');
      return this.close('unauthenticated', 'unauthenticated');
    }
    if (result === 'revoked') {
      // Not worth a retry: the agent stops for good, as it does when revoked while connected.
      return this.goodbye(
        'revoked',
        'this cluster was revoked in Meshplane; uninstall the agent or register the cluster again',
      );
    }
    this.agent = result;
    this.about = {
      agentVersion: hello.agent.version,
      kubernetesVersion: hello.cluster?.kubernetesVersion,
      nodeCount: hello.cluster?.nodeCount,
      calicoVersion: hello.cluster?.calicoVersion,
      calicoKinds: hello.cluster?.calicoKinds,
      capabilities: hello.agent.capabilities,
      lastAppliedConfigVersion: hello.lastAppliedConfigVersion,
    };
    const telemetry = hello.agent.capabilities.includes(TELEMETRY_CAPABILITY);
    const telemetryCursor = telemetry ? await this.host.telemetryCursor(result) : undefined;
    // Pulls resume after the higher of what the agent saw acknowledged and what the hub queued
    // (an acknowledgement lost with the socket).
    if (telemetry) this.telemetry = { cursor: Math.max(hello.telemetryCursor, telemetryCursor ?? 0) };
    const http = hello.agent.capabilities.includes(HTTP_TELEMETRY_CAPABILITY);
    const httpTelemetryCursor = http ? await this.host.httpTelemetryCursor(result) : undefined;
    if (http)
      this.httpTelemetry = { cursor: Math.max(hello.httpTelemetryCursor ?? 0, httpTelemetryCursor ?? 0) };
    const desiredConfigVersion = await this.host.desiredConfigVersion(this, hello);
    if (this.state !== 'authenticating') return;
    this.state = 'active';
    this.send({
      type: 'welcome',
      protocol,
      clusterId: result.clusterId,
      tenantId: result.tenantId,
      sessionId: this.sessionId,
      heartbeatIntervalMs: this.host.heartbeatIntervalMs,
      maxFrameBytes: this.host.maxFrameBytes,
      desiredConfigVersion,
      ...(telemetryCursor === undefined ? {} : { telemetryCursor }),
      ...(httpTelemetryCursor === undefined ? {} : { httpTelemetryCursor }),
    });
    this.host.accepted(this);
  }

  private onSnapshotPart(part: Extract<ToHub, { type: 'inventory.snapshot' }>) {
    if (part.part === 0) this.snapshot = { id: part.snapshotId, nextPart: 0, objects: [] };
    const snapshot = this.snapshot;
    if (!snapshot || snapshot.id !== part.snapshotId || snapshot.nextPart !== part.part) {
      this.snapshot = undefined;
      return this.error(
        'inventory_gap',
        'snapshot parts must arrive in order from part 0; send a new snapshot',
      );
    }
    if (snapshot.objects.length + part.objects.length > this.host.maxSnapshotObjects) {
      this.snapshot = undefined;
      return this.error(
        'rate_limited',
        `a snapshot may hold at most ${this.host.maxSnapshotObjects} objects`,
      );
    }
    for (const object of part.objects) snapshot.objects.push(object);
    snapshot.nextPart += 1;
    if (!part.lastPart) return;
    this.snapshot = undefined;
    this.lastDeltaSeq = undefined;
    this.inventoryReady = true;
    this.host.inventory(this, { kind: 'snapshot', objects: snapshot.objects });
  }

  private onDelta(delta: Extract<ToHub, { type: 'inventory.delta' }>) {
    if (!this.inventoryReady) return this.error('inventory_gap', 'send a complete snapshot before deltas');
    const last = this.lastDeltaSeq;
    if (last !== undefined && delta.seq <= last) return; // a replay: already forwarded
    if (last !== undefined && delta.seq !== last + 1) {
      this.inventoryReady = false;
      return this.error('inventory_gap', `expected delta ${last + 1}, got ${delta.seq}; send a new snapshot`);
    }
    this.lastDeltaSeq = delta.seq;
    this.host.inventory(this, { kind: 'delta', changes: delta.changes });
  }
}
