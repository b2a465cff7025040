import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EndpointByIp, TelemetryJob } from '@meshplane/events';
import { InternalIdentityCodec, SERVICE_CREDENTIAL_HEADER, ServiceTokens } from '@meshplane/platform';
import type { FlowRecord } from '@meshplane/protocol';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowIngestService } from '../src/flows/flow-ingest.service.js';
import { dayOf, type FlowPartitions, partitionName } from '../src/flows/flow-partitions.js';
import { PeerDirectory } from '../src/flows/peer-directory.js';
import {
  type Loose,
  silentLogger,
  startTelemetry,
  type TelemetryHarness,
  telemetryJob,
} from './telemetry-harness.js';

const SECRET = 'telemetry-test-identity-secret-0123456789';
const NOW = Date.now();
const NOW_S = Math.floor(NOW / 1_000);

function record(seq: number, overrides: Partial<FlowRecord> = {}): FlowRecord {
  return {
    seq,
    startTime: NOW_S - 60 + (seq % 30),
    endTime: NOW_S - 30 + (seq % 30),
    source: {
      name: 'frontend-7d9f8b6c5d-*',
      namespace: 'shop',
      type: 'wep',
      labels: { app: 'frontend', 'pod-template-hash': '7d9f8b6c5d' },
      ip: '10.101.0.5',
    },
    destination: {
      name: 'api-55d8c4b7f9-q2x7w',
      namespace: 'shop',
      type: 'wep',
      labels: { app: 'api', 'pod-template-hash': '55d8c4b7f9' },
      ip: '10.101.0.9',
      port: 8080,
    },
    destService: { namespace: 'shop', name: 'api', portName: 'http', port: 80 },
    protocol: 'tcp',
    reporter: 'src',
    action: 'allow',
    policies: [{ tier: 'default', name: 'allow-api', namespace: 'shop', action: 'allow', ruleIndex: 0 }],
    bytesIn: 100,
    bytesOut: 200,
    packetsIn: 1,
    packetsOut: 2,
    connectionsStarted: 1,
    connectionsCompleted: 1,
    ...overrides,
  };
}

const remoteRecord = (seq: number): FlowRecord =>
  record(seq, {
    destination: {
      name: 'mp-0123456789abcdef0123',
      namespace: 'shop',
      type: 'ns',
      labels: {
        app: 'db',
        'meshplane.io/cluster': 'eu-central-1',
        'meshplane.io/namespace': 'data',
        'app.kubernetes.io/managed-by': 'meshplane',
      },
      ip: '10.102.3.4',
      port: 5432,
    },
    destService: undefined,
    action: 'deny',
    policies: [
      { tier: 'security', name: 'deny-db', action: 'deny', ruleIndex: 2, kind: 'GlobalNetworkPolicy' },
    ],
  });

describe('flow ingestion and the flows query (real Postgres, behind a signed identity)', () => {
  let telemetry: TelemetryHarness;
  let dataSource: DataSource;
  let ingest: FlowIngestService;
  let partitions: FlowPartitions;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  const clusterA = randomUUID();
  const clusterB = randomUUID();

  const job = (records: FlowRecord[], overrides: Partial<TelemetryJob> = {}): TelemetryJob =>
    telemetryJob(tenantA, { id: clusterA, name: 'eu-west-1' }, records, overrides);

  async function flows(tenantId: string, variables: Record<string, unknown> = {}) {
    return telemetry.gql(
      tenantId,
      `query($filter: FlowFilter, $first: Int, $after: String) {
          flows(filter: $filter, first: $first, after: $after) {
            nodes { clusterId seq action protocol
              source { cluster namespace workload name type ip labels { key value } }
              destination { cluster namespace workload name type ip port labels { key value } }
              service { name port } policies { tier name namespace action ruleIndex staged } }
            pageInfo { hasNextPage endCursor } } }`,
      variables,
    );
  }

  const storedSeqs = async (clusterId = clusterA) =>
    (
      await dataSource.query('SELECT seq FROM telemetry.flows WHERE cluster_id = $1 ORDER BY seq', [
        clusterId,
      ])
    ).map((row: { seq: string }) => Number(row.seq));

  /** The clusters service's `endpoints-by-ip`, as that service answers it (its own spec tests it). */
  const podsByIp = new Map<string, EndpointByIp[]>();
  const lookups: string[][] = [];
  let clustersUp = true;
  const serviceTokens = new ServiceTokens(SECRET, 'clusters');
  const clusters = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const caller = await serviceTokens.verify(req.headers[SERVICE_CREDENTIAL_HEADER] as string | undefined);
    if (!clustersUp || caller !== 'telemetry-worker' || req.url !== '/internal/v1/endpoints-by-ip') {
      res.writeHead(clustersUp ? 401 : 503).end();
      return;
    }
    const { ips } = JSON.parse(body) as { ips: string[] };
    lookups.push(ips);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ endpoints: ips.flatMap((ip) => podsByIp.get(ip) ?? []) }));
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => clusters.listen(0, '127.0.0.1', resolve));
    telemetry = await startTelemetry({
      secret: SECRET,
      peers: (config) =>
        new PeerDirectory(
          {
            ...config,
            CLUSTERS_INTERNAL_URL: `http://127.0.0.1:${(clusters.address() as AddressInfo).port}`,
            PEER_CACHE_MS: 60_000,
          },
          new InternalIdentityCodec(SECRET, 'telemetry-worker'),
          silentLogger,
        ),
    });
    ({ dataSource, ingest, partitions } = telemetry);
  });

  afterAll(async () => {
    clusters.close();
    await telemetry?.close();
  });

  it('stores a batch once: a re-sent or overlapping batch adds only the records not yet stored', async () => {
    const first = await ingest.ingest(job([1, 2, 3, 4, 5].map((seq) => record(seq))), NOW);
    expect(first).toEqual({ stored: 5, duplicates: 0, skipped: 0 });
    expect(await ingest.ingest(job([1, 2, 3, 4, 5].map((seq) => record(seq))), NOW)).toEqual({
      stored: 0,
      duplicates: 5,
      skipped: 0,
    });
    expect(
      await ingest.ingest(job([4, 5, 6].map((seq) => (seq === 6 ? remoteRecord(6) : record(seq)))), NOW),
    ).toEqual({ stored: 1, duplicates: 2, skipped: 0 });
    expect(await storedSeqs()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('writes through COPY: backslashes, tabs, newlines and quotes arrive as sent, absent values as NULL', async () => {
    const awkward = 'a\\b\tc\nd"e\\N';
    const flow = record(7, {
      source: { name: 'odd-*', namespace: 'shop', type: 'wep', labels: { note: awkward, 'k\\': '\\' } },
      destService: undefined,
      policies: [{ tier: 'default', name: 'p\\q', namespace: 'shop', action: 'allow' }],
    });
    const tenantId = randomUUID();
    const clusterId = randomUUID();
    expect(await ingest.ingest(job([flow], { tenantId, clusterId }), NOW)).toEqual({
      stored: 1,
      duplicates: 0,
      skipped: 0,
    });
    const [row] = await dataSource.query(
      `SELECT src_labels, src_ip, dst_service_name, policies, policy_names FROM telemetry.flows WHERE cluster_id = $1 AND seq = 7`,
      [clusterId],
    );
    expect(row.src_labels).toEqual({ note: awkward, 'k\\': '\\' });
    expect(row.src_ip).toBeNull();
    expect(row.dst_service_name).toBeNull();
    expect(row.policies[0].name).toBe('p\\q');
    expect(row.policy_names).toEqual(['shop/p\\q']);
  });

  it('resolves a peer reported as a bare address to the one pod of another cluster holding it, asking once', async () => {
    const pod = (clusterName: string, name: string): EndpointByIp => ({
      ip: '',
      clusterId: randomUUID(),
      clusterName,
      namespace: 'ledger',
      name,
      labels: { app: 'ledger', 'pod-template-hash': '6c8f9d7b5' },
      serviceAccount: 'ledger',
    });
    podsByIp.set('10.120.0.7', [{ ...pod('us-east-1', 'ledger-6c8f9d7b5-k2j4m'), ip: '10.120.0.7' }]);
    // An address two other clusters reuse, and one only the reporting cluster holds.
    podsByIp.set('10.120.0.8', [
      { ...pod('us-east-1', 'ledger-6c8f9d7b5-aaaaa'), ip: '10.120.0.8' },
      { ...pod('ap-south-1', 'ledger-6c8f9d7b5-bbbbb'), ip: '10.120.0.8' },
    ]);
    podsByIp.set('10.120.0.9', [{ ...pod('eu-west-1', 'ledger-6c8f9d7b5-ccccc'), ip: '10.120.0.9' }]);
    const bare = (seq: number, ip: string) =>
      record(seq, {
        destination: { name: 'pvt', namespace: '', type: 'pvt', labels: {}, ip, port: 7000 },
        destService: undefined,
      });
    const tenantId = randomUUID();
    const clusterId = randomUUID();
    const batch = [
      bare(1, '10.120.0.7'),
      bare(2, '10.120.0.8'),
      bare(3, '10.120.0.9'),
      bare(4, '10.120.0.7'),
    ];
    expect((await ingest.ingest(job(batch, { tenantId, clusterId }), NOW)).stored).toBe(4);
    expect(lookups.at(-1)?.sort()).toEqual(['10.120.0.7', '10.120.0.8', '10.120.0.9']);
    const rows = await dataSource.query(
      `SELECT seq::int, dst_cluster, dst_namespace, dst_workload, dst_name, dst_type, dst_labels, dst_service_account
       FROM telemetry.flows WHERE cluster_id = $1 ORDER BY seq`,
      [clusterId],
    );
    expect(rows[0]).toEqual({
      seq: 1,
      dst_cluster: 'us-east-1',
      dst_namespace: 'ledger',
      dst_workload: 'ledger',
      dst_name: 'ledger-6c8f9d7b5-k2j4m',
      dst_type: 'pvt',
      dst_labels: { app: 'ledger', 'pod-template-hash': '6c8f9d7b5' },
      dst_service_account: 'ledger',
    });
    // Ambiguous, or only the reporting cluster's own: left as the address it was.
    expect(rows.slice(1, 3).map((row: Loose) => [row.dst_cluster, row.dst_workload])).toEqual([
      [null, 'pvt'],
      [null, 'pvt'],
    ]);
    expect(rows[3].dst_cluster).toBe('us-east-1');

    // Cached, "nobody" included: the next batch asks nothing.
    const asked = lookups.length;
    await ingest.ingest(job([bare(5, '10.120.0.7'), bare(6, '10.120.0.9')], { tenantId, clusterId }), NOW);
    expect(lookups.length).toBe(asked);

    // The clusters service away: flows are stored all the same, unresolved.
    clustersUp = false;
    try {
      expect((await ingest.ingest(job([bare(7, '10.120.0.66')], { tenantId, clusterId }), NOW)).stored).toBe(
        1,
      );
    } finally {
      clustersUp = true;
    }
    const [late] = await dataSource.query(
      'SELECT dst_cluster FROM telemetry.flows WHERE cluster_id = $1 AND seq = 7',
      [clusterId],
    );
    expect(late.dst_cluster).toBeNull();
  });

  it("counts the records agents dropped from a full buffer once per batch, per cluster, behind the tenant's identity", async () => {
    const telemetryOf = async (tenantId: string, clusterId: string) => {
      const result = await telemetry.gql(
        tenantId,
        `query($r: [_Any!]!) { _entities(representations: $r) {
          ... on Cluster { id flowTelemetry { droppedFlows lastDropAt } } } }`,
        { r: [{ __typename: 'Cluster', id: clusterId }] },
      );
      expect(result.errors).toBeUndefined();
      return result.data._entities[0].flowTelemetry;
    };
    const tenantId = randomUUID();
    const clusterId = randomUUID();
    expect(await telemetryOf(tenantId, clusterId)).toEqual({ droppedFlows: 0, lastDropAt: null });
    const batch = (fromSeq: number, dropped: number) =>
      job([record(fromSeq)], { tenantId, clusterId, fromSeq, toSeq: fromSeq, dropped });
    await ingest.ingest(batch(20, 5), NOW);
    // The same batch pulled again (its acknowledgement lost), carrying the same count: not added.
    await ingest.ingest(batch(20, 5), NOW);
    await ingest.ingest(batch(30, 3), NOW);
    const seen = await telemetryOf(tenantId, clusterId);
    expect(seen.droppedFlows).toBe(8);
    expect(new Date(seen.lastDropAt).getTime()).toBe(NOW);
    // Another tenant naming the cluster sees nothing of it.
    expect((await telemetryOf(tenantB, clusterId)).droppedFlows).toBe(0);
  });

  it('writes into a daily partition that has the row-level security of the parent', async () => {
    const name = partitionName(dayOf(NOW_S - 60));
    const [row] = await dataSource.query(
      `SELECT c.relrowsecurity AS rls, (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'telemetry' AND c.relname = $1`,
      [name],
    );
    expect(row).toEqual({ rls: true, policies: 1 });
  });

  it('enriches both ends: local workloads by their ReplicaSet, remote peers through the network set labels', async () => {
    const result = await flows(tenantA, { first: 10 });
    expect(result.errors).toBeUndefined();
    const remote = result.data.flows.nodes.find((f: Loose) => f.seq === 6);
    expect(remote.source).toMatchObject({
      cluster: 'eu-west-1',
      namespace: 'shop',
      workload: 'frontend',
      type: 'wep',
    });
    expect(remote.destination).toMatchObject({
      cluster: 'eu-central-1',
      namespace: 'data',
      workload: 'db',
      type: 'ns',
      ip: '10.102.3.4',
      port: 5432,
      labels: [{ key: 'app', value: 'db' }],
    });
    const local = result.data.flows.nodes.find((f: Loose) => f.seq === 1);
    expect(local.destination).toMatchObject({
      cluster: 'eu-west-1',
      workload: 'api',
      name: 'api-55d8c4b7f9-q2x7w',
    });
    expect(local.service).toEqual({ name: 'api', port: 80 });
  });

  it('filters by namespace, workload, action, port, protocol and policy', async () => {
    const seqsFor = async (filter: Record<string, unknown>) => {
      const result = await flows(tenantA, { filter, first: 100 });
      expect(result.errors).toBeUndefined();
      return result.data.flows.nodes.map((f: Loose) => f.seq).sort((a: number, b: number) => a - b);
    };
    expect(await seqsFor({ action: 'DENY' })).toEqual([6]);
    expect(await seqsFor({ workload: 'db' })).toEqual([6]);
    expect(await seqsFor({ namespace: 'data' })).toEqual([6]);
    expect(await seqsFor({ port: 8080 })).toEqual([1, 2, 3, 4, 5]);
    expect(await seqsFor({ policy: 'shop/allow-api' })).toEqual([1, 2, 3, 4, 5]);
    expect(await seqsFor({ policy: 'deny-db', clusterId: clusterA })).toEqual([6]);
    expect(await seqsFor({ protocol: 'UDP' })).toEqual([]);
  });

  it("names the policies that acted as the policies API does, and filters by that name or Calico's", async () => {
    const tenantId = randomUUID();
    // As Calico reports them (Goldmane, and the simulated data plane after it): the object names.
    const policies: FlowRecord['policies'] = [
      { tier: 'meshplane-compliance', name: 'meshplane-compliance.isolation', action: 'pass', ruleIndex: 1 },
      { tier: 'default', name: 'default.allow-frontend', namespace: 'shop', action: 'allow', ruleIndex: 0 },
      {
        tier: 'security',
        name: 'security.staged-deny-ledger',
        namespace: 'payments',
        kind: 'StagedNetworkPolicy',
        action: 'deny',
        ruleIndex: 0,
        staged: true,
      },
      { tier: 'security', name: 'security', kind: 'EndOfTier', action: 'pass', ruleIndex: -1 },
    ];
    await ingest.ingest(
      job([record(1, { policies }), record(2, { policies: [] })], { tenantId, clusterId: randomUUID() }),
      NOW,
    );
    const found = async (policy: string) => {
      const result = await telemetry.gql(
        tenantId,
        'query($f: FlowFilter) { flows(filter: $f) { nodes { seq policies { tier name calicoName namespace } } } }',
        { f: { policy } },
      );
      expect(result.errors).toBeUndefined();
      return result.data.flows.nodes;
    };
    const [flow] = await found('payments/staged-deny-ledger');
    expect(flow.seq).toBe(1);
    expect(flow.policies).toEqual([
      {
        tier: 'meshplane-compliance',
        name: 'isolation',
        calicoName: 'meshplane-compliance.isolation',
        namespace: null,
      },
      { tier: 'default', name: 'allow-frontend', calicoName: 'default.allow-frontend', namespace: 'shop' },
      {
        tier: 'security',
        name: 'staged-deny-ledger',
        calicoName: 'security.staged-deny-ledger',
        namespace: 'payments',
      },
      { tier: 'security', name: 'security', calicoName: 'security', namespace: null },
    ]);
    for (const name of [
      'payments/security.staged-deny-ledger',
      'isolation',
      'meshplane-compliance.isolation',
      'shop/allow-frontend',
      'shop/default.allow-frontend',
    ])
      expect((await found(name)).map((f: Loose) => f.seq)).toEqual([1]);
    // A namespaced policy is not a global one of the same name, nor does a made-up prefix match.
    for (const name of [
      'staged-deny-ledger',
      'payments/default.staged-deny-ledger',
      'shop/security.allow-frontend',
    ])
      expect(await found(name)).toEqual([]);
    // The rollups (and so the service graph's edges) carry the policies' names only.
    const rollups = await telemetry.gql(
      tenantId,
      'query($from: DateTime!, $to: DateTime!) { flowRollups(from: $from, to: $to) { policies } }',
      { from: new Date((NOW_S - 3_600) * 1_000).toISOString(), to: new Date(NOW + 60_000).toISOString() },
    );
    expect(rollups.data.flowRollups.flatMap((r: Loose) => r.policies).sort()).toEqual([
      'isolation',
      'payments/staged-deny-ledger',
      'security',
      'shop/allow-frontend',
    ]);
  });

  it('pages newest first with a cursor, every flow exactly once', async () => {
    const seen: number[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const result = await flows(tenantA, { first: 4, after });
      expect(result.errors).toBeUndefined();
      seen.push(...result.data.flows.nodes.map((f: Loose) => f.seq));
      if (!result.data.flows.pageInfo.hasNextPage) break;
      after = result.data.flows.pageInfo.endCursor;
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    const bad = await flows(tenantA, { first: 4, after: 'bm90LWEtY3Vyc29y' });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it("shows a tenant only its own flows, even when it names another tenant's cluster", async () => {
    await ingest.ingest(
      job([record(1)], { tenantId: tenantB, clusterId: clusterB, clusterName: 'b-1' }),
      NOW,
    );
    const mine = await flows(tenantB, { first: 100 });
    expect(mine.data.flows.nodes.map((f: Loose) => f.clusterId)).toEqual([clusterB]);
    const probe = await flows(tenantB, { filter: { clusterId: clusterA }, first: 100 });
    expect(probe.data.flows.nodes).toEqual([]);
  });

  it('skips records past retention, and drops partitions older than every tenant keeps', async () => {
    const old = record(100, { startTime: NOW_S - 9 * 86_400, endTime: NOW_S - 9 * 86_400 + 10 });
    expect(await ingest.ingest(job([old]), NOW)).toEqual({ stored: 0, duplicates: 0, skipped: 1 });
    const oldDay = dayOf(NOW_S - 9 * 86_400);
    await partitions.ensure([oldDay]);
    const { dropped } = await partitions.maintain(NOW);
    expect(dropped).toContain(partitionName(oldDay));
    expect(dropped).not.toContain(partitionName(dayOf(NOW_S)));
    expect(await storedSeqs()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
