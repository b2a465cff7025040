import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HealthProbes {
  /** The process works (not terminated by the hub, not failed). */
  live(): boolean;
  /** Connected at least once and the current session is healthy. */
  ready(): boolean;
  /** Extra fields for the JSON body (state, cluster id, counters). */
  details?(): Record<string, unknown>;
  /** Served at `/metrics` in Prometheus' text format (a prom-client `Registry` fits). */
  metrics?: { readonly contentType: string; metrics(): Promise<string> };
}

export interface HealthServer {
  /** `http://host:port` */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * `/healthz` (liveness) and `/readyz` (readiness) for the kubelet's probes: 200 or 503 with a JSON
 * body; `/metrics` for Prometheus when the probes bring a registry.
 */
export async function startHealthServer(
  host: string,
  port: number,
  probes: HealthProbes,
): Promise<HealthServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/metrics' && request.method === 'GET' && probes.metrics !== undefined) {
      serveMetrics(probes.metrics, response);
      return;
    }
    const check = path === '/healthz' ? probes.live : path === '/readyz' ? probes.ready : undefined;
    if (check === undefined || request.method !== 'GET') {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"status":"not found"}');
      return;
    }
    const ok = check();
    const body = { status: ok ? 'ok' : 'unavailable', ...(probes.details?.() ?? {}) };
    response.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function serveMetrics(registry: NonNullable<HealthProbes['metrics']>, response: ServerResponse): void {
  registry.metrics().then(
    (body) => response.writeHead(200, { 'content-type': registry.contentType }).end(body),
    () => response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n'),
  );
}
