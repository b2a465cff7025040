import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A round-robin TCP load balancer, so that several replicas of a process sit behind one address
 * as they would behind a Kubernetes Service (HTTP and websockets alike: it forwards bytes). A
 * backend that refuses the connection is skipped for this connection; when none accepts, the
 * client's connection is closed.
 */
export class TcpBalancer {
  private next = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly backends: readonly number[],
  ) {}

  static async listen(port: number, backends: readonly number[], host = '127.0.0.1'): Promise<TcpBalancer> {
    const server = createServer();
    const balancer = new TcpBalancer(server, backends);
    server.on('connection', (client) => balancer.forward(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return balancer;
  }

  private forward(client: Socket, tried = 0): void {
    if (tried >= this.backends.length) {
      client.destroy();
      return;
    }
    const port = this.backends[this.next++ % this.backends.length]!;
    const upstream = connect(port, '127.0.0.1');
    client.pause();
    upstream.once('connect', () => {
      this.sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      client.resume();
      const close = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('error', close).on('close', close);
      upstream.on('error', close).on('close', close);
    });
    upstream.once('error', () => {
      if (upstream.connecting || !this.sockets.has(upstream)) this.forward(client, tried + 1);
    });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
