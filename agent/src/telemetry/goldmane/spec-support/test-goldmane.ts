import { EventEmitter, once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { connect, createServer, type Server as NetServer, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { GOLDMANE_LOADER_OPTIONS, type GoldmaneFlowStreamRequest } from '../goldmane-descriptor.js';
import type { KeyPair } from './test-pki.js';

/** `goldmane.proto` itself: the test server speaks from the file, the source from the descriptor. */
export const GOLDMANE_PROTO_PATH = fileURLToPath(new URL('../goldmane.proto', import.meta.url));

/** A `FlowResult` as the test writes it: snake_case fields, enums by name or number. */
export type FlowResultInput = Record<string, unknown>;

/** One `Flows.Stream` call the test server received. */
export interface StreamCall {
  request: GoldmaneFlowStreamRequest;
  send(result: FlowResultInput): void;
  /** Ends the stream with status OK, as Goldmane does when it shuts down. */
  end(): void;
  /** Resolves when the client cancels the call or its connection goes away. */
  cancelled: Promise<void>;
  isCancelled(): boolean;
}

/**
 * A local stand-in for Goldmane: a `@grpc/grpc-js` server implementing `Flows.Stream` from
 * `goldmane.proto`, requiring client certificates signed by `caFile` (as Goldmane does), behind
 * a TCP relay the test uses to count the client's connections and to cut them.
 */
export class TestGoldmane {
  readonly calls: StreamCall[] = [];
  private taken = 0;
  private readonly events = new EventEmitter();
  private readonly sockets = new Set<Socket>();
  /** Client connections accepted by the relay so far. */
  connectionsAccepted = 0;

  private constructor(
    private readonly server: grpc.Server,
    private readonly relay: NetServer,
    readonly port: number,
  ) {}

  /**
   * `localhost:<relay port>`: where the source under test connects (a host name, as in a cluster;
   * Node deprecates sending an IP address as the TLS server name).
   */
  get address(): string {
    return `localhost:${this.port}`;
  }

  get openConnections(): number {
    return this.sockets.size;
  }

  static async start(caFile: string, serverPair: KeyPair): Promise<TestGoldmane> {
    const definition = protoLoader.loadSync(GOLDMANE_PROTO_PATH, GOLDMANE_LOADER_OPTIONS);
    const goldmane = grpc.loadPackageDefinition(definition).goldmane as grpc.GrpcObject;
    const service = (goldmane.Flows as grpc.ServiceClientConstructor).service;
    const [ca, cert, key] = await Promise.all(
      [caFile, serverPair.cert, serverPair.key].map((f) => readFile(f)),
    );
    const server = new grpc.Server();
    let instance: TestGoldmane | undefined;
    server.addService(service, {
      Stream: (call: grpc.ServerWritableStream<GoldmaneFlowStreamRequest, FlowResultInput>) =>
        instance?.accept(call),
    });
    const grpcPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(
        '127.0.0.1:0',
        grpc.ServerCredentials.createSsl(ca!, [{ cert_chain: cert!, private_key: key! }], true),
        (error, port) => (error ? reject(error) : resolve(port)),
      ),
    );
    const relay = createServer();
    relay.listen(0, '127.0.0.1');
    await once(relay, 'listening');
    const port = (relay.address() as { port: number }).port;
    instance = new TestGoldmane(server, relay, port);
    relay.on('connection', (socket) => instance!.relayConnection(socket, grpcPort));
    return instance;
  }

  /** The next call not yet returned by this method (waits for it). */
  async nextCall(): Promise<StreamCall> {
    while (this.calls.length <= this.taken) await once(this.events, 'call');
    const call = this.calls[this.taken]!;
    this.taken += 1;
    return call;
  }

  /** Resolves once the relay holds no client connection. */
  async connectionsClosed(): Promise<void> {
    while (this.sockets.size > 0) await once(this.events, 'disconnect');
  }

  /** Cuts every client connection at the TCP level, as a network failure would. */
  breakConnections(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    this.server.forceShutdown();
    this.breakConnections();
    await new Promise<void>((resolve) => this.relay.close(() => resolve()));
  }

  private accept(call: grpc.ServerWritableStream<GoldmaneFlowStreamRequest, FlowResultInput>): void {
    let cancelled = false;
    const stream: StreamCall = {
      request: call.request,
      send: (result) => {
        if (!cancelled) call.write(result);
      },
      end: () => call.end(),
      cancelled: new Promise<void>((resolve) =>
        call.on('cancelled', () => {
          cancelled = true;
          resolve();
        }),
      ),
      isCancelled: () => cancelled,
    };
    this.calls.push(stream);
    this.events.emit('call');
  }

  private relayConnection(socket: Socket, grpcPort: number): void {
    this.connectionsAccepted += 1;
    this.sockets.add(socket);
    const upstream = connect(grpcPort, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    const close = () => {
      socket.destroy();
      upstream.destroy();
      if (this.sockets.delete(socket)) this.events.emit('disconnect');
    };
    socket.on('error', close);
    socket.on('close', close);
    upstream.on('error', close);
    upstream.on('close', close);
  }
}
