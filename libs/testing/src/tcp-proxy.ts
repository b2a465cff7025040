import { connect, createServer, type Server, type Socket } from 'node:net';

/** Which way data goes through the proxy: from the client (agent) up, or from the server down. */
export type ProxyDirection = 'up' | 'down';

export interface TcpProxy {
  readonly port: number;
  /** Connections currently open through the proxy (client sides). */
  readonly connections: number;
  /**
   * Cuts every connection in the middle of a frame: the next chunk of at least `minBytes` going
   * `direction` is forwarded only in half, then both sides are destroyed. Resolves with the size
   * of the chunk that was cut.
   */
  cutMidFrame(direction: ProxyDirection, minBytes?: number): Promise<number>;
  /** Destroys every connection at once; returns how many there were. */
  cut(): number;
  /**
   * A network stall: from now on nothing is forwarded and nothing is closed — open connections
   * become black holes (their bytes are dropped, a close on one side is not passed on) and new
   * connections are accepted but go nowhere.
   */
  stall(): void;
  /**
   * Ends the stall. Connections that lived through it are dead for both ends (as after a real
   * outage, the first packet gets a reset), so they are destroyed; new ones are forwarded again.
   */
  resume(): void;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket | undefined;
  stalled: boolean;
}

/**
 * A TCP proxy to `127.0.0.1:targetPort` that can misbehave like a network: cut connections in the
 * middle of a frame, or stall without closing. Fault drills put it between an agent and the hub.
 */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let stalled = false;
  let cutter: { direction: ProxyDirection; minBytes: number; done: (bytes: number) => void } | undefined;

  const destroy = (pair: Pair) => {
    pair.client.destroy();
    pair.upstream?.destroy();
    pairs.delete(pair);
  };

  const forward = (pair: Pair, from: Socket, direction: ProxyDirection) => {
    from.on('data', (chunk: Buffer) => {
      if (pair.stalled) return;
      const to = direction === 'up' ? pair.upstream : pair.client;
      if (to === undefined) return;
      if (cutter !== undefined && cutter.direction === direction && chunk.length >= cutter.minBytes) {
        const { done } = cutter;
        cutter = undefined;
        to.write(chunk.subarray(0, Math.floor(chunk.length / 2)), () => {
          for (const other of [...pairs]) destroy(other);
          done(chunk.length);
        });
        return;
      }
      to.write(chunk);
    });
    from.on('close', () => {
      if (!pair.stalled) destroy(pair);
    });
    from.on('error', () => {});
  };

  const server: Server = createServer((client) => {
    const pair: Pair = { client, upstream: undefined, stalled };
    pairs.add(pair);
    client.on('error', () => {});
    if (stalled) return;
    pair.upstream = connect(targetPort, '127.0.0.1');
    forward(pair, client, 'up');
    forward(pair, pair.upstream, 'down');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;

  return {
    port,
    get connections() {
      return pairs.size;
    },
    cutMidFrame(direction, minBytes = 1) {
      return new Promise((done) => {
        cutter = { direction, minBytes, done };
      });
    },
    cut() {
      const count = pairs.size;
      for (const pair of [...pairs]) destroy(pair);
      return count;
    },
    stall() {
      stalled = true;
      for (const pair of pairs) pair.stalled = true;
    },
    resume() {
      stalled = false;
      for (const pair of [...pairs]) if (pair.stalled) destroy(pair);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const pair of [...pairs]) destroy(pair);
        server.close(() => resolve());
      }),
  };
}
