/**
 * A fake agent hub for the agent's tests: a `ws` server that decodes every frame with the real
 * codec, answers `hello` with a `welcome` (unless told not to), records what each connection
 * received, and lets a test send frames, close with a code or drop the socket.
 */
import type { AddressInfo } from 'node:net';
import {
  decodeFrame,
  encodeFrame,
  type InventoryObject,
  type MessageOf,
  type ToAgentMessage,
  type ToHubMessage,
  type WelcomeMessage,
} from '@meshplane/protocol';
import WebSocket, { WebSocketServer } from 'ws';

export interface FakeHubOptions {
  /** Answer `hello` with `welcome`; default true. */
  autoWelcome?: boolean;
  /** Answer the agent's pings; default true. */
  answerPings?: boolean;
  welcome?: Partial<WelcomeMessage>;
}

const WAIT_MS = 5_000;

export class FakeConnection {
  readonly messages: ToHubMessage[] = [];
  /** Frames the codec refused. */
  readonly rejected: string[] = [];
  readonly closed: Promise<{ code: number }>;
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly socket: WebSocket,
    private readonly options: FakeHubOptions,
    readonly index: number,
  ) {
    this.closed = new Promise((resolve) => socket.once('close', (code) => resolve({ code })));
    socket.on('message', (data) => this.receive(data.toString()));
  }

  get hello(): MessageOf<'hello'> | undefined {
    return this.messages.find((message) => message.type === 'hello');
  }

  send(message: ToAgentMessage): void {
    this.socket.send(encodeFrame(message));
  }

  sendRaw(text: string): void {
    this.socket.send(text);
  }

  close(code: number, reason = ''): void {
    this.socket.close(code, reason);
  }

  /** Drops the TCP connection without a closing handshake. */
  drop(): void {
    this.socket.terminate();
  }

  /** The first received message (from `from` on) satisfying `predicate`; waits for it. */
  async waitFor<T extends ToHubMessage['type']>(
    type: T,
    predicate: (message: MessageOf<T>) => boolean = () => true,
    from = 0,
  ): Promise<MessageOf<T>> {
    const find = () =>
      this.messages
        .slice(from)
        .find(
          (message): message is MessageOf<T> => message.type === type && predicate(message as MessageOf<T>),
        );
    return this.until(find, `a ${type} frame`);
  }

  /** All parts of the next complete snapshot (from message index `from`), merged. */
  async snapshot(
    from = 0,
  ): Promise<{ snapshotId: string; parts: MessageOf<'inventory.snapshot'>[]; objects: InventoryObject[] }> {
    const last = await this.waitFor('inventory.snapshot', (message) => message.lastPart, from);
    const parts = this.messages
      .slice(from)
      .filter((message): message is MessageOf<'inventory.snapshot'> => message.type === 'inventory.snapshot')
      .filter((message) => message.snapshotId === last.snapshotId);
    return { snapshotId: last.snapshotId, parts, objects: parts.flatMap((part) => part.objects) };
  }

  deltas(): MessageOf<'inventory.delta'>[] {
    return this.messages.filter(
      (message): message is MessageOf<'inventory.delta'> => message.type === 'inventory.delta',
    );
  }

  /** Resolves once `find` returns something; fails after a few seconds. */
  async until<R>(find: () => R | undefined, what: string): Promise<R> {
    const found = find();
    if (found !== undefined) return found;
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`fake hub: timed out waiting for ${what}`));
      }, WAIT_MS);
      const check = () => {
        const result = find();
        if (result === undefined) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(result);
      };
      this.waiters.add(check);
    });
  }

  private receive(text: string): void {
    const decoded = decodeFrame(text, 'toHub');
    if (!decoded.ok) {
      this.rejected.push(`${decoded.error.code}: ${decoded.error.message}`);
      return;
    }
    const message = decoded.message;
    this.messages.push(message);
    if (message.type === 'hello' && this.options.autoWelcome !== false) {
      this.send({
        type: 'welcome',
        protocol: 1,
        clusterId: 'c-test',
        tenantId: 't-test',
        sessionId: `s-${this.index}`,
        heartbeatIntervalMs: 5_000,
        maxFrameBytes: 4 * 1024 * 1024,
        desiredConfigVersion: 0,
        ...this.options.welcome,
      });
    }
    if (message.type === 'ping' && this.options.answerPings !== false) {
      this.send({ type: 'pong', nonce: message.nonce, sentAt: message.sentAt });
    }
    for (const waiter of [...this.waiters]) waiter();
  }
}

export class FakeHub {
  readonly connections: FakeConnection[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly server: WebSocketServer,
    readonly options: FakeHubOptions,
  ) {
    server.on('connection', (socket) => {
      this.connections.push(new FakeConnection(socket, this.options, this.connections.length));
      for (const waiter of [...this.waiters]) waiter();
    });
  }

  static async start(options: FakeHubOptions = {}): Promise<FakeHub> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/agents' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    return new FakeHub(server, options);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/agents`;
  }

  /** The `index`-th connection (0-based), waiting for it to arrive. */
  connection(index: number): Promise<FakeConnection> {
    const existing = this.connections[index];
    if (existing !== undefined) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`fake hub: timed out waiting for connection #${index}`));
      }, WAIT_MS);
      const check = () => {
        const connection = this.connections[index];
        if (connection === undefined) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(connection);
      };
      this.waiters.add(check);
    });
  }

  async close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export { WebSocket };
