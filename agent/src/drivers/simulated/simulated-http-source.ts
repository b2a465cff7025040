import { randomUUID } from 'node:crypto';
import type { HttpMethod } from '@meshplane/protocol';
import type { HttpRequestDraft } from '../../telemetry/envoy/envoy-als-convert.js';
import { templatePath } from '../../telemetry/envoy/http-path-template.js';
import type { HttpRequestSource } from '../../telemetry/http-request-source.js';
import { Prng, seedFromText } from './prng.js';
import type { Scenario } from './scenario.js';
import type { SimulatedCluster } from './simulated-cluster.js';

const TICK_MS = 100;
/** Service ports the simulated Envoys see HTTP on. */
const HTTP_PORT_NAMES = new Set(['http', 'http2', 'grpc', 'web']);
const HTTP_PORTS = new Set([80, 8080, 8000, 3000]);
const METHODS: readonly HttpMethod[] = [
  'GET',
  'GET',
  'GET',
  'GET',
  'GET',
  'GET',
  'POST',
  'POST',
  'PUT',
  'DELETE',
];

interface Server {
  workload: string;
  /** Pods' addresses and the container port requests reach. */
  ips: string[];
  port: number;
  authority: string;
  /** Median latency of this server, milliseconds. */
  medianMs: number;
}

/**
 * The simulated node Envoys' HTTP access logs: requests from the cluster's pods to the pods behind
 * its HTTP Services (a port named `http`… or 80/8080), as an L7 record each — method, a path with
 * ids and sometimes a query string (passed through the same `templatePath` as Envoy's entries, so
 * the privacy rules apply here too), status (mostly 2xx, some 404 and 5xx, and an error burst of
 * one server every `errorBurstEverySeconds`), and a latency spread around a per-server median
 * (log-normal, a slow tail). Seeded from the scenario, like the flows.
 */
export class SimulatedHttpSource implements HttpRequestSource {
  readonly name = 'simulated';
  private readonly random: Prng;
  private timer: NodeJS.Timeout | undefined;
  private owed = 0;
  private lastTick = 0;

  constructor(
    private readonly scenario: Scenario,
    private readonly cluster: SimulatedCluster,
    private readonly now: () => number = Date.now,
  ) {
    this.random = new Prng(((scenario.seed ?? seedFromText(scenario.cluster)) ^ 0x4177) >>> 0);
  }

  start(sink: (request: HttpRequestDraft) => void): void {
    const perSecond = this.scenario.http.perSecond;
    if (perSecond <= 0 || this.timer !== undefined) return;
    this.lastTick = this.now();
    this.timer = setInterval(() => {
      const now = this.now();
      this.owed += ((now - this.lastTick) * perSecond) / 1_000;
      this.lastTick = now;
      const count = Math.floor(this.owed);
      this.owed -= count;
      for (const request of this.generate(count, now)) sink(request);
    }, TICK_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The next `count` requests, started just before `now` (epoch milliseconds). */
  generate(count: number, now: number): HttpRequestDraft[] {
    const pods = this.cluster.pods().filter((pod) => pod.object.ips.length > 0);
    const servers = this.servers(pods);
    if (pods.length === 0 || servers.length === 0) return [];
    const { errorBurstEverySeconds, errorBurstSeconds } = this.scenario.http;
    const second = Math.floor(now / 1_000);
    const bursting =
      second % errorBurstEverySeconds < errorBurstSeconds
        ? servers[Math.floor(second / errorBurstEverySeconds) % servers.length]!.workload
        : undefined;
    const requests: HttpRequestDraft[] = [];
    for (let i = 0; i < count; i += 1) {
      const client = this.random.pick(pods).object;
      const server = this.random.pick(servers);
      const method = this.random.pick(METHODS);
      const durationMs = Math.max(0, Math.round(server.medianMs * Math.exp(0.7 * this.normal())));
      requests.push({
        startTime: now - durationMs,
        method,
        authority: server.authority,
        path: templatePath(this.rawPath(server.workload, method)),
        responseCode: this.status(server.workload === bursting),
        durationMs,
        requestBytes: 200 + (method === 'GET' ? 0 : this.random.int(4_000)),
        responseBytes: 300 + this.random.int(20_000),
        protocol: this.random.next() < 0.3 ? 'http2' : 'http1.1',
        requestId: randomUUID(),
        upstreamCluster: `${server.workload}`,
        source: { ip: client.ips[0]!, port: 32_768 + this.random.int(28_000) },
        destination: { ip: this.random.pick(server.ips), port: server.port },
      });
    }
    return requests;
  }

  private servers(pods: ReturnType<SimulatedCluster['pods']>): Server[] {
    const servers: Server[] = [];
    for (const service of this.scenario.services) {
      if (service.selector === undefined) continue;
      const port = service.ports.find((p) => HTTP_PORT_NAMES.has(p.name ?? '') || HTTP_PORTS.has(p.port));
      if (port === undefined) continue;
      const selector = Object.entries(service.selector);
      const backends = pods.filter(
        (pod) =>
          pod.object.namespace === service.namespace &&
          selector.every(([key, value]) => pod.object.labels[key] === value),
      );
      if (backends.length === 0) continue;
      const target = typeof port.targetPort === 'number' ? port.targetPort : port.port;
      servers.push({
        workload: backends[0]!.workload.name,
        ips: backends.map((pod) => pod.object.ips[0]!),
        port: target,
        authority: `${service.name}.${service.namespace}.svc:${port.port}`,
        medianMs: 5 + (seedFromText(service.name) % 60),
      });
    }
    return servers;
  }

  private rawPath(workload: string, method: HttpMethod): string {
    const id = 1 + this.random.int(99_999);
    switch (this.random.int(6)) {
      case 0:
        return '/healthz';
      case 1:
        return `/${workload}/items/${id}`;
      case 2:
        return `/orders/${id}${method === 'GET' ? `?expand=lines&session=${this.random.suffix(12)}` : ''}`;
      case 3:
        return `/users/${randomUUID()}/cart`;
      case 4:
        return `/search?q=${this.random.suffix(6)}`;
      default:
        return `/api/v1/${workload}`;
    }
  }

  private status(bursting: boolean): number {
    const roll = this.random.next();
    if (bursting && roll < 0.6) return this.random.pick([500, 502, 503]);
    if (roll < 0.01) return 500;
    if (roll < 0.04) return 404;
    if (roll < 0.06) return 304;
    return this.random.next() < 0.1 ? 201 : 200;
  }

  /** A standard normal variate (Box–Muller). */
  private normal(): number {
    const u = 1 - this.random.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.random.next());
  }
}
