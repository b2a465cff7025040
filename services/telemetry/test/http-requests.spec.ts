import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { HttpTelemetryJob } from '@meshplane/events';
import { type Metrics, TenantDb } from '@meshplane/platform';
import { type HttpRequestRecord, SAMPLE_HTTP_REQUEST_RECORD } from '@meshplane/protocol';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelemetryConfig } from '../src/config.js';
import type { PeerResolver, PeersByIp } from '../src/flows/peer-directory.js';
import { HttpIngestService } from '../src/http/http-ingest.service.js';
import { TelemetrySettingsService } from '../src/settings/telemetry-settings.service.js';
import { silentLogger, startTelemetry, type TelemetryHarness } from './telemetry-harness.js';

const SECRET = 'telemetry-http-test-secret-0123456789abcdef';
const NOW = Date.UTC(2026, 11, 4, 12, 0, 30);
const CLUSTER_NAME = 'c-east';

/** The web pod in the reporting cluster; the api pod in another cluster of the tenant. */
const PEERS: PeersByIp = new Map([
  [
    '10.0.1.5',
    [
      {
        clusterName: 'c-east',
        namespace: 'shop',
        name: 'web-5d9f-x2k9p',
        labels: { app: 'web', 'pod-template-hash': '5d9f' },
      },
    ],
  ],
  [
    '10.0.2.9',
    [
      {
        clusterName: 'c-west',
        namespace: 'shop',
        name: 'api-77c4-q8m2z',
        labels: { app: 'api', 'pod-template-hash': '77c4' },
      },
    ],
  ],
]);
const clusters = new Map<string, string>();
const clusterOf = (tenantId: string) => {
  if (!clusters.has(tenantId)) clusters.set(tenantId, randomUUID());
  return clusters.get(tenantId)!;
};
const peers: PeerResolver = { resolve: async () => PEERS };

function record(
  seq: number,
  durationMs: number,
  responseCode: number,
  startTime = NOW - 5_000,
  path = SAMPLE_HTTP_REQUEST_RECORD.path,
): HttpRequestRecord {
  return { ...SAMPLE_HTTP_REQUEST_RECORD, seq, startTime, durationMs, responseCode, path };
}

/** A batch of the tenant's cluster (cluster ids are unique across tenants, as the clusters service makes them). */
function job(tenantId: string, records: HttpRequestRecord[]): HttpTelemetryJob {
  return {
    tenantId,
    clusterId: clusterOf(tenantId),
    clusterName: CLUSTER_NAME,
    epoch: 1,
    fromSeq: records[0]!.seq,
    toSeq: records.at(-1)!.seq,
    dropped: 0,
    records,
  };
}

describe('HTTP request ingestion and rollups (real Postgres)', () => {
  let telemetry: TelemetryHarness;
  let dataSource: DataSource;
  let ingest: HttpIngestService;
  let policies: Server;

  beforeAll(async () => {
    // threatSignals reads the tenant's policy set (for zone crossings): an empty one.
    policies = createServer((_req, res) => {
      const set = {
        tiers: [{ name: 'default', order: 1_000_000, defaultAction: 'Deny' }],
        policies: [],
        clusters: [],
        zones: [],
        namespaces: [],
      };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(set));
    });
    await new Promise<void>((resolve) => policies.listen(0, '127.0.0.1', resolve));
    const port = (policies.address() as { port: number }).port;
    telemetry = await startTelemetry({
      secret: SECRET,
      peers: () => peers,
      env: { POLICIES_INTERNAL_URL: `http://127.0.0.1:${port}` },
    });
    dataSource = telemetry.dataSource;
    const db = new TenantDb(dataSource);
    const config = { DEFAULT_RETENTION_DAYS: 7 } as TelemetryConfig;
    ingest = new HttpIngestService(
      db,
      telemetry.partitions,
      new TelemetrySettingsService(db, config),
      peers,
      silentLogger,
      { registry: new Registry() } as unknown as Metrics,
    );
  });

  afterAll(async () => {
    policies?.close();
    await telemetry?.close();
  });

  it('stores each record once, both ends joined to their pods across clusters, and rolls up only the new ones', async () => {
    const tenantId = randomUUID();
    expect(await ingest.ingest(job(tenantId, [record(1, 10, 200), record(2, 20, 503)]), NOW)).toEqual({
      stored: 2,
      duplicates: 0,
      skipped: 0,
    });
    // Pulled again with one more record: only seq 3 is new.
    expect(
      await ingest.ingest(job(tenantId, [record(1, 10, 200), record(2, 20, 503), record(3, 30, 200)]), NOW),
    ).toEqual({ stored: 1, duplicates: 2, skipped: 0 });
    // Too old for the retention: skipped.
    expect(await ingest.ingest(job(tenantId, [record(4, 1, 200, NOW - 8 * 86_400_000)]), NOW)).toEqual({
      stored: 0,
      duplicates: 0,
      skipped: 1,
    });
    const rows = await dataSource.query(
      `SELECT seq, src_cluster, src_workload, dst_cluster, dst_workload FROM telemetry.http_requests WHERE tenant_id = $1 ORDER BY seq`,
      [tenantId],
    );
    expect(rows.map((row: { seq: string }) => row.seq)).toEqual(['1', '2', '3']);
    expect(rows[0]).toMatchObject({
      src_cluster: 'c-east',
      src_workload: 'web',
      dst_cluster: 'c-west',
      dst_workload: 'api',
    });
    const rollups = await dataSource.query(
      `SELECT requests, status_2xx, status_5xx, src_workload, dst_workload FROM telemetry.http_rollups WHERE tenant_id = $1`,
      [tenantId],
    );
    expect(rollups).toEqual([
      { requests: '3', status_2xx: '2', status_5xx: '1', src_workload: 'web', dst_workload: 'api' },
    ]);

    const graph = await telemetry.gql(
      tenantId,
      `query($from: DateTime!, $to: DateTime!) { serviceGraph(from: $from, to: $to) {
        edges { source destination crossCluster http { requests errorRate latencyP50Ms latencyP99Ms } } } }`,
      { from: new Date(NOW - 600_000).toISOString(), to: new Date(NOW + 60_000).toISOString() },
    );
    expect(graph.errors).toBeUndefined();
    const [edge] = graph.data.serviceGraph.edges;
    expect(edge).toMatchObject({ crossCluster: true, http: { requests: 3 } });
    expect(edge.http.errorRate).toBeCloseTo(1 / 3, 6);
    expect(Math.abs(edge.http.latencyP50Ms - 20)).toBeLessThanOrEqual(0.21);
    // DDSketch's quantiles are of the lower rank: p99 of [10, 20, 30] is 20.
    expect(Math.abs(edge.http.latencyP99Ms - 20)).toBeLessThanOrEqual(0.21);
  });

  it('the database refuses a path with a query string, whatever writes it', async () => {
    const tenantId = randomUUID();
    await ingest.ingest(job(tenantId, [record(1, 1, 200)]), NOW);
    await expect(
      dataSource.query(`UPDATE telemetry.http_requests SET path = '/orders?token=x' WHERE tenant_id = $1`, [
        tenantId,
      ]),
    ).rejects.toThrow(/CHK_http_requests_path/);
  });

  it('signals a 5xx spike on an edge and a path never requested on it before', async () => {
    const tenantId = randomUUID();
    const minute = NOW - (NOW % 60_000) - 60_000;
    const quiet = Array.from({ length: 20 }, (_, i) => record(i + 1, 5, 200, minute - (20 - i) * 60_000));
    const burst = Array.from({ length: 12 }, (_, i) => record(21 + i, 5, 503, minute + 1_000 + i));
    await ingest.ingest(job(tenantId, quiet), NOW);
    await ingest.ingest(job(tenantId, [...burst, record(33, 5, 200, minute + 2_000, '/admin/export')]), NOW);
    const signals = await telemetry.gql(
      tenantId,
      `query($from: DateTime!, $to: DateTime!) { threatSignals(from: $from, to: $to) {
        serverErrorSpikes { minute serverErrors requests baseline source { cluster workload } destination { cluster workload } }
        newHttpPaths { method path requests source { workload } destination { workload } } } }`,
      { from: new Date(minute).toISOString(), to: new Date(minute + 60_000).toISOString() },
    );
    expect(signals.errors).toBeUndefined();
    expect(signals.data.threatSignals.serverErrorSpikes).toEqual([
      {
        minute: new Date(minute).toISOString(),
        serverErrors: 12,
        requests: 13,
        baseline: 0,
        source: { cluster: 'c-east', workload: 'web' },
        destination: { cluster: 'c-west', workload: 'api' },
      },
    ]);
    // `/orders/{id}` was requested before the window: only the new path is a signal.
    expect(signals.data.threatSignals.newHttpPaths).toEqual([
      {
        method: 'GET',
        path: '/admin/export',
        requests: 1,
        source: { workload: 'web' },
        destination: { workload: 'api' },
      },
    ]);
    // The quiet minutes before are no spike.
    const earlier = await telemetry.gql(
      tenantId,
      `query($from: DateTime!, $to: DateTime!) { threatSignals(from: $from, to: $to) { serverErrorSpikes { minute } } }`,
      { from: new Date(minute - 600_000).toISOString(), to: new Date(minute).toISOString() },
    );
    expect(earlier.data.threatSignals.serverErrorSpikes).toEqual([]);
  });
});
