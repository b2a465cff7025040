import {
  decodeFrame,
  encodeFrame,
  type InventoryObject,
  type MessageTo,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@meshplane/protocol';
import WebSocket from 'ws';

type ToAgent = MessageTo<'toAgent'>;
type ToHub = MessageTo<'toHub'>;

/**
 * A protocol-level agent for tests: a real websocket to the hub, speaking through the same codec
 * as the real agent, with every frame it receives recorded. It answers pings unless told to be
 * silent, so tests can drive the hub precisely.
 */
export class FakeAgent {
  readonly received: ToAgent[] = [];
  readonly closed: Promise<{ code: number; reason: string; at: number }>;
  answerPings = true;
  private waiters: Array<{ match: (m: ToAgent) => boolean; resolve: (m: ToAgent) => void }> = [];

  private constructor(readonly socket: WebSocket) {
    this.closed = new Promise((resolve) =>
      socket.once('close', (code, reason) => resolve({ code, reason: reason.toString(), at: Date.now() })),
    );
    socket.on('message', (data) => {
      const decoded = decodeFrame(data as Buffer, 'toAgent');
      if (!decoded.ok) return;
      const message = decoded.message;
      this.received.push(message);
      if (message.type === 'ping' && this.answerPings) {
        this.send({ type: 'pong', nonce: message.nonce, sentAt: message.sentAt });
      }
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(message)) return true;
        w.resolve(message);
        return false;
      });
    });
  }

  static async connect(url: string): Promise<FakeAgent> {
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new FakeAgent(socket);
  }

  send(message: ToHub): void {
    this.socket.send(encodeFrame(message));
  }

  sendRaw(data: string | Buffer): void {
    this.socket.send(data);
  }

  next<T extends ToAgent['type']>(type: T, timeoutMs = 5_000): Promise<Extract<ToAgent, { type: T }>> {
    const seen = this.received.find((m) => m.type === type);
    if (seen) {
      this.received.splice(this.received.indexOf(seen), 1);
      return Promise.resolve(seen as Extract<ToAgent, { type: T }>);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} frame within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        match: (m) => m.type === type,
        resolve: (m) => {
          clearTimeout(timer);
          this.received.splice(this.received.indexOf(m), 1);
          resolve(m as Extract<ToAgent, { type: T }>);
        },
      });
    });
  }

  /** Sends hello and resolves with the welcome (or rejects when the socket closes instead). */
  async hello(credential: string, version = '0.1.0-test'): Promise<Extract<ToAgent, { type: 'welcome' }>> {
    this.send({
      type: 'hello',
      protocols: [...SUPPORTED_PROTOCOL_VERSIONS],
      credential,
      agent: { version, capabilities: ['inventory.v1'] },
      cluster: { kubernetesVersion: 'v1.31.0', nodeCount: 3 },
      lastAppliedConfigVersion: 0,
      telemetryCursor: 0,
    });
    return Promise.race([
      this.next('welcome'),
      this.closed.then((c) => Promise.reject(new Error(`closed ${c.code} ${c.reason} instead of welcome`))),
    ]);
  }

  snapshot(objects: InventoryObject[], snapshotId = `s-${Date.now()}`): void {
    this.send({ type: 'inventory.snapshot', snapshotId, part: 0, lastPart: true, objects });
  }

  close(): void {
    this.socket.close();
  }
}

/** A pod for inventory tests. */
export function testPod(
  namespace: string,
  name: string,
  ip: string,
  labels: Record<string, string> = {},
): InventoryObject {
  return {
    kind: 'pod',
    namespace,
    name,
    labels,
    ips: [ip],
    nodeName: 'node-1',
    serviceAccount: 'default',
    ready: true,
    phase: 'Running',
  };
}
