import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { PolicySet } from '@meshplane/events';
import { ServiceTokens } from '@meshplane/platform';
import type { FlowEndpoint, FlowRecord } from '@meshplane/protocol';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowIngestService } from '../src/flows/flow-ingest.service.js';
import type { FlowPartitions } from '../src/flows/flow-partitions.js';
import type { PeerResolver, RemotePeer } from '../src/flows/peer-directory.js';
import {
  flowRecord,
  type Loose,
  startTelemetry,
  type TelemetryHarness,
  telemetryJob,
} from './telemetry-harness.js';

const SECRET = 'telemetry-insight-identity-secret-0123456789';

/** Whole minutes, so that the test knows which rollup minute a flow lands in. */
const NOW_MIN = Math.floor(Date.now() / 60_000) * 60;
/** The minute of the denied burst, and the quiet minutes before it. */
const SPIKE_MINUTE = NOW_MIN - 5 * 60;

const clusters = {
  west: { id: randomUUID(), name: 'eu-west-1', labels: { geo: 'eu' } },
  central: { id: randomUUID(), name: 'eu-central-1', labels: { geo: 'eu' } },
  us: { id: randomUUID(), name: 'us-east-1', labels: { geo: 'us' } },
};

const web: FlowEndpoint = {
  name: 'web-6c9d7b5f4d-*',
  namespace: 'shop',
  type: 'wep',
  labels: { app: 'web', tier: 'front', 'pod-template-hash': '6c9d7b5f4d' },
  ip: '10.1.0.5',
  serviceAccount: 'web',
};
const api: FlowEndpoint = {
  name: 'api-55d8c4b7f9-*',
  namespace: 'shop',
  type: 'wep',
  labels: { app: 'api', 'pod-template-hash': '55d8c4b7f9' },
  ip: '10.1.0.9',
  port: 8080,
};
const scanner: FlowEndpoint = {
  name: 'scanner-7f7f7f7f7f-*',
  namespace: 'tools',
  type: 'wep',
  labels: { app: 'scanner', 'pod-template-hash': '7f7f7f7f7f' },
  ip: '10.1.0.66',
};
/** How eu-west-1 sees a db pod of eu-central-1: a network set Meshplane installed. */
const remoteDb: FlowEndpoint = {
  name: 'mp-remote-db',
  namespace: 'shop',
  type: 'ns',
  labels: { app: 'db', 'meshplane.io/cluster': 'eu-central-1', 'meshplane.io/namespace': 'shop' },
  ip: '10.2.0.7',
  port: 5432,
};
/** How eu-west-1 sees a pod of us-east-1 (a zone the eu zone forbids). */
const remoteUs: FlowEndpoint = {
  name: 'mp-remote-us',
  namespace: 'shop',
  type: 'ns',
  labels: { app: 'billing', 'meshplane.io/cluster': 'us-east-1', 'meshplane.io/namespace': 'shop' },
  ip: '10.3.0.4',
  port: 443,
};
/** eu-central-1's worker, and how eu-central-1 sees eu-west-1's api. */
const centralWorker: FlowEndpoint = {
  name: 'worker-5b5b5b5b5b-*',
  namespace: 'shop',
  type: 'wep',
  labels: { app: 'worker', 'pod-template-hash': '5b5b5b5b5b' },
  ip: '10.2.0.20',
};
const remoteApi: FlowEndpoint = {
  name: 'mp-remote-api',
  namespace: 'shop',
  type: 'ns',
  labels: { app: 'api', 'meshplane.io/cluster': 'eu-west-1', 'meshplane.io/namespace': 'shop' },
  ip: '10.1.0.9',
  port: 8080,
};

function flow(
  seq: number,
  startTime: number,
  source: FlowEndpoint,
  destination: FlowEndpoint,
  action: 'allow' | 'deny',
  extra: Partial<FlowRecord> = {},
): FlowRecord {
  const policies: FlowRecord['policies'] =
    action === 'deny'
      ? [{ tier: 'security', name: 'deny-scanner', namespace: 'shop', action: 'deny', ruleIndex: 0 }]
      : [];
  return flowRecord(seq, startTime, source, destination, { action, policies, ...extra });
}

/** The flows of eu-west-1 (seq 1…) and of eu-central-1. */
function westFlows(): FlowRecord[] {
  const out: FlowRecord[] = [];
  let seq = 1;
  for (let minute = 0; minute < 10; minute += 1) {
    const start = NOW_MIN - (10 - minute) * 60 + 5;
    out.push(
      flow(seq++, start, web, api, 'allow', {
        destService: { namespace: 'shop', name: 'api', portName: 'http', port: 80 },
      }),
    );
    out.push(flow(seq++, start, web, remoteDb, 'allow'));
    // One denied probe a minute before the burst, none after.
    if (start < SPIKE_MINUTE) out.push(flow(seq++, start, scanner, api, 'deny'));
  }
  for (let i = 0; i < 30; i += 1) out.push(flow(seq++, SPIKE_MINUTE + 1 + (i % 50), scanner, api, 'deny'));
  // Across the eu/us compliance zone, allowed (recorded before the zone existed, say).
  for (let i = 0; i < 3; i += 1) out.push(flow(seq++, NOW_MIN - 120 + i, web, remoteUs, 'allow'));
  return out;
}

function centralFlows(): FlowRecord[] {
  return [1, 2, 3, 4].map((seq) => flow(seq, NOW_MIN - 600 + seq * 60, centralWorker, remoteApi, 'allow'));
}

/**
 * Peers resolved by address: none, except for the one tenant a test gives some to (resolution
 * itself is tested in flows.spec.ts).
 */
const resolvable = new Map<string, Map<string, RemotePeer[]>>();
const peersByIp: PeerResolver = {
  resolve: async (tenantId, ips) =>
    new Map(
      ips.flatMap(
        (ip) =>
          resolvable
            .get(tenantId)
            ?.get(ip)
            ?.map((peer) => [ip, [peer]] as const) ?? [],
      ),
    ),
};

describe('insight: rollups, service graph, threat signals, recommendations, what-if, compliance (real Postgres)', () => {
  let telemetry: TelemetryHarness;
  let dataSource: DataSource;
  let ingest: FlowIngestService;
  let partitions: FlowPartitions;
  let policies: Server;
  let policiesDown = false;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  const zoneId = randomUUID();
  const policySets = new Map<string, PolicySet>();
  const callers: string[] = [];

  const job = (clusterId: string, clusterName: string, records: FlowRecord[], tenantId = tenantA) =>
    telemetryJob(tenantId, { id: clusterId, name: clusterName }, records);

  const gql = (tenantId: string, query: string, variables: Record<string, unknown> = {}) =>
    telemetry.gql(tenantId, query, variables);

  const window = {
    from: new Date((NOW_MIN - 3_600) * 1_000).toISOString(),
    to: new Date((NOW_MIN + 60) * 1_000).toISOString(),
  };

  const rollupTotals = async () =>
    (
      await dataSource.query(
        `SELECT sum(flows)::int AS flows, sum(bytes_in + bytes_out)::int AS bytes, count(*)::int AS rows
         FROM telemetry.flow_rollups WHERE tenant_id = $1`,
        [tenantA],
      )
    )[0];

  beforeAll(async () => {
    const tokens = new ServiceTokens(SECRET, 'verifier');
    policies = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', async () => {
        const caller = await tokens.verify(req.headers['x-meshplane-service'] as string | undefined);
        callers.push(String(caller));
        if (policiesDown) return res.writeHead(503).end();
        if (req.url !== '/internal/v1/policy-set' || caller !== 'telemetry') return res.writeHead(401).end();
        const { tenantId } = JSON.parse(body) as { tenantId: string };
        const set = policySets.get(tenantId) ?? {
          tiers: [{ name: 'default', order: 1_000_000, defaultAction: 'Deny' }],
          policies: [],
          clusters: [],
          zones: [],
          namespaces: [],
        };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(set));
      });
    });
    await new Promise<void>((resolve) => policies.listen(0, '127.0.0.1', resolve));
    const port = (policies.address() as { port: number }).port;
    policySets.set(tenantA, {
      tiers: [
        { name: 'default', order: 1_000_000, defaultAction: 'Deny' },
        { name: 'security', order: 100, defaultAction: 'Deny' },
        { name: 'meshplane-compliance', order: 0, defaultAction: 'Pass' },
      ],
      policies: [
        {
          id: randomUUID(),
          generated: false,
          kind: 'NetworkPolicy',
          metadata: { name: 'deny-scanner', namespace: 'shop' },
          spec: {
            tier: 'security',
            selector: "app == 'api'",
            types: ['Ingress'],
            ingress: [
              {
                action: 'Deny',
                source: {
                  selector: "app == 'scanner'",
                  namespaceSelector: "projectcalico.org/name == 'tools'",
                },
              },
              { action: 'Pass' },
            ],
          },
        },
        {
          id: null,
          generated: true,
          kind: 'GlobalNetworkPolicy',
          metadata: { name: 'meshplane-compliance.isolation.eu-west-1' },
          spec: {
            tier: 'meshplane-compliance',
            order: 0,
            selector: 'all()',
            types: ['Ingress', 'Egress'],
            clusterSelector: "meshplane.io/cluster == 'eu-west-1'",
            ingress: [
              { action: 'Deny', source: { selector: "meshplane.io/cluster in {'us-east-1'}" } },
              { action: 'Pass' },
            ],
            egress: [
              { action: 'Deny', destination: { selector: "meshplane.io/cluster in {'us-east-1'}" } },
              { action: 'Pass' },
            ],
          },
        },
      ],
      clusters: Object.values(clusters),
      // Every cluster has both namespaces; only eu-west-1's shop carries a label.
      namespaces: Object.values(clusters).flatMap(({ name }) => [
        {
          cluster: name,
          name: 'shop',
          labels: name === 'eu-west-1' ? { env: 'prod' } : ({} as Record<string, string>),
        },
        { cluster: name, name: 'tools', labels: {} },
      ]),
      zones: [
        {
          id: zoneId,
          name: 'eu',
          clusterSelector: "geo == 'eu'",
          allowedZones: [],
          members: ['eu-central-1', 'eu-west-1'],
          forbidden: [
            ['eu-central-1', 'us-east-1'],
            ['eu-west-1', 'us-east-1'],
          ],
        },
      ],
    });
    telemetry = await startTelemetry({
      secret: SECRET,
      peers: () => peersByIp,
      env: { POLICIES_INTERNAL_URL: `http://127.0.0.1:${port}` },
    });
    ({ dataSource, ingest, partitions } = telemetry);
  });

  afterAll(async () => {
    await telemetry?.close();
    await new Promise((resolve) => policies?.close(resolve));
  });

  it('keeps per-minute rollups of exactly the flows stored: a re-sent or overlapping batch adds nothing', async () => {
    const west = westFlows();
    const half = Math.floor(west.length / 2);
    await ingest.ingest(job(clusters.west.id, 'eu-west-1', west.slice(0, half)));
    const before = await rollupTotals();
    expect(before.flows).toBe(half);
    // The same batch again, then one overlapping it: only the new records count.
    await ingest.ingest(job(clusters.west.id, 'eu-west-1', west.slice(0, half)));
    expect(await rollupTotals()).toEqual(before);
    await ingest.ingest(job(clusters.west.id, 'eu-west-1', west.slice(half - 5)));
    await ingest.ingest(job(clusters.central.id, 'eu-central-1', centralFlows()));
    const after = await rollupTotals();
    expect(after.flows).toBe(west.length + 4);
    expect(after.bytes).toBe((west.length + 4) * 1_500);
    // Per minute and per key: the burst minute holds all 30 denied scanner flows in one row.
    const [burst] = await dataSource.query(
      `SELECT flows::int, policies, dst_service, dst_port FROM telemetry.flow_rollups
       WHERE tenant_id = $1 AND minute = to_timestamp($2) AND src_workload = 'scanner'`,
      [tenantA, SPIKE_MINUTE],
    );
    expect(burst).toEqual({ flows: 30, policies: ['shop/deny-scanner'], dst_service: '', dst_port: 8080 });
    const { rows } = await gqlRollups();
    expect(rows.reduce((sum: number, r: Loose) => sum + r.flows, 0)).toBe(west.length + 4);
    // New batches are summed in the worker (COPY path), overlapping ones in SQL (staging path):
    // every rollup row equals the same sums recomputed from the stored flows.
    const [{ mismatches, groups }] = await dataSource.query(
      `WITH recomputed AS (
         SELECT tenant_id, date_trunc('minute', start_time) AS minute, COALESCE(src_cluster, '') AS src_cluster,
           src_namespace, src_workload, src_type, COALESCE(dst_cluster, '') AS dst_cluster, dst_namespace,
           dst_workload, dst_type, COALESCE(dst_service_namespace || '/' || dst_service_name, '') AS dst_service,
           action, protocol, COALESCE(dst_port, 0) AS dst_port, sum(bytes_in) AS bytes_in, sum(bytes_out) AS bytes_out,
           sum(packets_in) AS packets_in, sum(packets_out) AS packets_out, sum(connections_started) AS connections,
           count(*) AS flows,
           ARRAY(SELECT DISTINCT p FROM unnest(string_to_array(string_agg(array_to_string(policy_names, chr(31)), chr(31)), chr(31))) AS p
                 WHERE p <> '' ORDER BY p) AS policies
         FROM telemetry.flows WHERE tenant_id = $1
         GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14),
       stored AS (SELECT tenant_id, minute, src_cluster, src_namespace, src_workload, src_type, dst_cluster,
           dst_namespace, dst_workload, dst_type, dst_service, action, protocol, dst_port, bytes_in, bytes_out,
           packets_in, packets_out, connections, flows, policies
         FROM telemetry.flow_rollups WHERE tenant_id = $1)
       SELECT (SELECT count(*)::int FROM ((TABLE recomputed EXCEPT TABLE stored) UNION ALL (TABLE stored EXCEPT TABLE recomputed)) d) AS mismatches,
         (SELECT count(*)::int FROM recomputed) AS groups`,
      [tenantA],
    );
    expect(groups).toBeGreaterThan(3);
    expect(mismatches).toBe(0);

    async function gqlRollups() {
      const result = await gql(
        tenantA,
        'query($from: DateTime!, $to: DateTime!) { flowRollups(from: $from, to: $to) { minute flows bytes sourceWorkload destinationWorkload service port action } }',
        window,
      );
      expect(result.errors).toBeUndefined();
      return { rows: result.data.flowRollups };
    }
  });

  it('answers the service graph across clusters: workloads, Services, remote peers, with cross-cluster edges', async () => {
    const result = await gql(
      tenantA,
      `query($from: DateTime!, $to: DateTime!) { serviceGraph(from: $from, to: $to) {
         nodes { id kind cluster namespace name }
         edges { source destination crossCluster bytes packets connections allowedFlows deniedFlows policies ports }
         truncated } }`,
      window,
    );
    expect(result.errors).toBeUndefined();
    const graph = result.data.serviceGraph;
    const ids = graph.nodes.map((n: Loose) => n.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'workload:eu-west-1/shop/web',
        'workload:eu-west-1/shop/api',
        'service:eu-west-1/shop/api',
        'workload:eu-central-1/shop/db',
        'workload:eu-central-1/shop/worker',
        'workload:us-east-1/shop/billing',
      ]),
    );
    const edge = (from: string, to: string) =>
      graph.edges.find((e: Loose) => e.source === from && e.destination === to);
    expect(edge('workload:eu-west-1/shop/web', 'service:eu-west-1/shop/api')).toMatchObject({
      crossCluster: false,
      allowedFlows: 10,
      deniedFlows: 0,
      bytes: 15_000,
      ports: ['tcp/8080'],
    });
    expect(edge('service:eu-west-1/shop/api', 'workload:eu-west-1/shop/api')).toMatchObject({
      allowedFlows: 10,
    });
    expect(edge('workload:eu-west-1/shop/web', 'workload:eu-central-1/shop/db')).toMatchObject({
      crossCluster: true,
      allowedFlows: 10,
      ports: ['tcp/5432'],
    });
    expect(edge('workload:eu-central-1/shop/worker', 'workload:eu-west-1/shop/api')).toMatchObject({
      crossCluster: true,
      allowedFlows: 4,
    });
    expect(edge('workload:eu-west-1/tools/scanner', 'workload:eu-west-1/shop/api')).toMatchObject({
      deniedFlows: 35,
      allowedFlows: 0,
      policies: ['shop/deny-scanner'],
    });
    // Grouped by cluster then namespace.
    const groups = graph.nodes.map((n: Loose) => `${n.cluster ?? ''}/${n.namespace}`);
    expect(groups).toEqual([...groups].sort());
    const filtered = await gql(
      tenantA,
      'query($from: DateTime!, $to: DateTime!, $f: ServiceGraphFilter) { serviceGraph(from: $from, to: $to, filter: $f) { edges { source destination } } }',
      { ...window, f: { cluster: 'eu-central-1' } },
    );
    expect(filtered.data.serviceGraph.edges.map((e: Loose) => `${e.source}>${e.destination}`).sort()).toEqual(
      [
        'workload:eu-central-1/shop/worker>workload:eu-west-1/shop/api',
        'workload:eu-west-1/shop/web>workload:eu-central-1/shop/db',
      ],
    );
  });

  it('signals the denied burst of one workload against its quiet baseline, and allowed flows across the zone', async () => {
    const result = await gql(
      tenantA,
      `query($from: DateTime!, $to: DateTime!) { threatSignals(from: $from, to: $to) {
         deniedSpikes { minute role cluster namespace workload deniedFlows baseline }
         zoneCrossings { zoneId zone sourceCluster destinationCluster flows bytes } } }`,
      window,
    );
    expect(result.errors).toBeUndefined();
    const { deniedSpikes, zoneCrossings } = result.data.threatSignals;
    expect(deniedSpikes).toEqual([
      {
        minute: new Date(SPIKE_MINUTE * 1_000).toISOString(),
        role: 'destination',
        cluster: 'eu-west-1',
        namespace: 'shop',
        workload: 'api',
        deniedFlows: 30,
        baseline: 0.333,
      },
      {
        minute: new Date(SPIKE_MINUTE * 1_000).toISOString(),
        role: 'source',
        cluster: 'eu-west-1',
        namespace: 'tools',
        workload: 'scanner',
        deniedFlows: 30,
        baseline: 0.333,
      },
    ]);
    expect(zoneCrossings).toEqual([
      {
        zoneId,
        zone: 'eu',
        sourceCluster: 'eu-west-1',
        destinationCluster: 'us-east-1',
        flows: 3,
        bytes: 4_500,
      },
    ]);
  });

  let recommended: Loose;

  it('recommends a staged policy allowing exactly the observed allowed ingress, cross-cluster peers by cluster label', async () => {
    const result = await gql(
      tenantA,
      `query($i: RecommendPolicyInput!) { recommendPolicy(input: $i) { input observed rules unattributed truncated } }`,
      { i: { clusterId: clusters.west.id, namespace: 'shop', lookback: 120 } },
    );
    expect(result.errors).toBeUndefined();
    const recommendation = result.data.recommendPolicy;
    recommended = recommendation.input;
    expect(recommended).toEqual({
      kind: 'NetworkPolicy',
      name: 'recommended-eu-west-1',
      namespace: 'shop',
      spec: {
        tier: 'default',
        selector: 'all()',
        types: ['Ingress'],
        clusterSelector: 'meshplane.io/cluster == "eu-west-1"',
        staged: true,
        ingress: [
          {
            action: 'Allow',
            protocol: 'TCP',
            source: { selector: 'app == "web" && tier == "front"' },
            destination: { selector: 'app == "api"', ports: ['8080'] },
          },
          {
            action: 'Allow',
            protocol: 'TCP',
            source: { selector: 'app == "worker" && meshplane.io/cluster == "eu-central-1"' },
            destination: { selector: 'app == "api"', ports: ['8080'] },
          },
        ],
      },
    });
    expect(recommendation).toMatchObject({ observed: 2, rules: 2, unattributed: 0, truncated: false });
  });

  it('recommends a policy for one workload: only its ingress, its pods selected; none when nothing came in', async () => {
    const query = `query($i: RecommendPolicyInput!) { recommendPolicy(input: $i) { input observed rules } }`;
    const result = await gql(tenantA, query, {
      i: { clusterId: clusters.west.id, namespace: 'shop', workload: 'api', lookback: 120 },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data.recommendPolicy).toMatchObject({ observed: 2, rules: 2 });
    expect(result.data.recommendPolicy.input).toMatchObject({
      name: 'recommended-eu-west-1-api',
      spec: { selector: 'app == "api"', ingress: recommended.spec.ingress },
    });
    const none = await gql(tenantA, query, {
      i: { clusterId: clusters.west.id, namespace: 'shop', workload: 'web', lookback: 120 },
    });
    expect(none.errors?.[0]).toMatchObject({
      message:
        'no allowed ingress into workload "web" of namespace "shop" was recorded in the last 120 minutes',
      extensions: { code: 'BAD_USER_INPUT', field: 'input.workload' },
    });
  });

  it('recommends ingress that only the source cluster recorded, its peer resolved by address', async () => {
    const tenantC = randomUUID();
    const west = { ...clusters.west, id: randomUUID() };
    const central = { ...clusters.central, id: randomUUID() };
    policySets.set(tenantC, {
      tiers: [{ name: 'default', order: 1_000_000, defaultAction: 'Deny' }],
      policies: [],
      clusters: [west, central],
      zones: [],
      namespaces: [],
    });
    // eu-central-1 saw west's api only as a private address; no Meshplane network set named it.
    resolvable.set(
      tenantC,
      new Map([
        [
          '10.1.0.9',
          [{ clusterName: 'eu-west-1', namespace: 'shop', name: 'api-1', labels: { app: 'api' } }],
        ],
      ]),
    );
    const asAddress: FlowEndpoint = {
      name: 'pvt',
      namespace: '',
      type: 'pvt',
      labels: {},
      ip: '10.1.0.9',
      port: 8080,
    };
    await ingest.ingest(
      job(central.id, 'eu-central-1', [flow(1, NOW_MIN - 300, centralWorker, asAddress, 'allow')], tenantC),
    );
    const result = await gql(
      tenantC,
      `query($i: RecommendPolicyInput!) { recommendPolicy(input: $i) { input observed rules } }`,
      { i: { clusterId: west.id, namespace: 'shop', lookback: 120 } },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.recommendPolicy).toMatchObject({ observed: 1, rules: 1 });
    expect(result.data.recommendPolicy.input.spec.ingress).toEqual([
      {
        action: 'Allow',
        protocol: 'TCP',
        source: { selector: 'app == "worker" && meshplane.io/cluster == "eu-central-1"' },
        destination: { selector: 'app == "api"', ports: ['8080'] },
      },
    ]);
  });

  it('what-if: enforcing the recommendation changes no recorded flow; removing the deny policy frees the scanner', async () => {
    const WHAT_IF = `query($i: WhatIfInput!) { whatIf(input: $i) {
      evaluated skipped changed newlyDenied newlyAllowed truncated
      flows { oldAction newAction oldTrace newTrace flow { seq source { workload } destination { workload } } } } }`;
    const enforce = await gql(tenantA, WHAT_IF, {
      i: {
        ...window,
        changes: [{ upsert: { ...recommended, spec: { ...recommended.spec, staged: false } } }],
      },
    });
    expect(enforce.errors).toBeUndefined();
    const total = westFlows().length + 4;
    expect(enforce.data.whatIf).toMatchObject({
      evaluated: total,
      skipped: 0,
      changed: 0,
      truncated: false,
      flows: [],
    });

    const freed = await gql(tenantA, WHAT_IF, {
      i: {
        ...window,
        changes: [{ remove: { kind: 'NetworkPolicy', name: 'deny-scanner', namespace: 'shop' } }],
      },
    });
    expect(freed.errors).toBeUndefined();
    expect(freed.data.whatIf).toMatchObject({ changed: 35, newlyAllowed: 35, newlyDenied: 0 });
    const one = freed.data.whatIf.flows[0];
    expect(one).toMatchObject({
      oldAction: 'DENY',
      newAction: 'ALLOW',
      flow: { source: { workload: 'scanner' }, destination: { workload: 'api' } },
    });
    expect(one.oldTrace).toContain('ingress: tier security: NetworkPolicy shop/deny-scanner rule 0 → Deny');
    expect(one.newTrace).toContain('ingress: passed by every tier → profile Allow');

    const denyAll = await gql(tenantA, WHAT_IF, {
      i: {
        ...window,
        changes: [
          {
            upsert: {
              kind: 'NetworkPolicy',
              name: 'lockdown',
              namespace: 'shop',
              spec: { selector: "app == 'api'", types: ['Ingress'], ingress: [] },
            },
          },
        ],
      },
    });
    expect(denyAll.errors).toBeUndefined();
    // west's 10 web → api flows, and the 4 that eu-central-1's worker sent to west's api: west's
    // ingress judges them too, although only eu-central-1 recorded them.
    expect(denyAll.data.whatIf).toMatchObject({ changed: 14, newlyDenied: 14 });
    expect(denyAll.data.whatIf.flows[0].newTrace).toContain(
      'ingress: tier default: no rule decided → tier default Deny',
    );
    const fromCentral = denyAll.data.whatIf.flows.filter(
      (f: Loose) => f.flow.source.workload === 'worker' && f.flow.destination.workload === 'api',
    );
    expect(fromCentral).toHaveLength(4);
    expect(fromCentral[0].newTrace).toContain('ingress: tier default: no rule decided → tier default Deny');
    expect(fromCentral[0].oldTrace).toContain('ingress: passed by every tier → profile Allow');
  });

  it('reports compliance violations with evidence, whether the current set denies them now, and a CSV', async () => {
    const result = await gql(
      tenantA,
      `query($z: ID!, $from: DateTime!, $to: DateTime!) { complianceReport(zoneId: $z, from: $from, to: $to) {
         zone { id name members forbiddenPairs } violations blocked csv
         evidence { deniedNow currentTrace flow { seq source { cluster workload } destination { cluster workload } } } } }`,
      { z: zoneId, ...window },
    );
    expect(result.errors).toBeUndefined();
    const report = result.data.complianceReport;
    expect(report.zone).toEqual({
      id: zoneId,
      name: 'eu',
      members: ['eu-central-1', 'eu-west-1'],
      forbiddenPairs: [
        ['eu-central-1', 'us-east-1'],
        ['eu-west-1', 'us-east-1'],
      ],
    });
    expect(report).toMatchObject({ violations: 3, blocked: 0 });
    expect(report.evidence).toHaveLength(3);
    for (const violation of report.evidence) {
      expect(violation.flow.destination).toEqual({ cluster: 'us-east-1', workload: 'billing' });
      expect(violation.deniedNow).toBe(true);
      expect(violation.currentTrace[0]).toBe(
        'egress: tier meshplane-compliance: GlobalNetworkPolicy isolation rule 0 → Deny',
      );
    }
    const lines = report.csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'start_time,end_time,reporting_cluster_id,seq,reporter,action,protocol,src_cluster,src_namespace,src_workload,src_ip,dst_cluster,dst_namespace,dst_workload,dst_ip,dst_port,bytes,policies,denied_now',
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(`,${clusters.west.id},`);
    expect(lines[1]).toContain(',eu-west-1,shop,web,10.1.0.5,us-east-1,shop,billing,10.3.0.4,443,1500,,true');
  });

  it('refuses bad input with the field path, unknown ids with NOT_FOUND, and says when the policies service is away', async () => {
    const missingZone = await gql(
      tenantA,
      'query($z: ID!, $from: DateTime!, $to: DateTime!) { complianceReport(zoneId: $z, from: $from, to: $to) { violations } }',
      { z: randomUUID(), ...window },
    );
    expect(missingZone.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const foreignCluster = await gql(
      tenantB,
      'query($i: RecommendPolicyInput!) { recommendPolicy(input: $i) { rules } }',
      { i: { clusterId: clusters.west.id, namespace: 'shop' } },
    );
    expect(foreignCluster.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const badPolicy = await gql(tenantA, 'query($i: WhatIfInput!) { whatIf(input: $i) { changed } }', {
      i: {
        ...window,
        changes: [{ upsert: { kind: 'NetworkPolicy', name: 'Bad Name', namespace: 'shop', spec: {} } }],
      },
    });
    expect(badPolicy.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.changes.0.upsert.name',
    });
    const both = await gql(tenantA, 'query($i: WhatIfInput!) { whatIf(input: $i) { changed } }', {
      i: { ...window, changes: [{}] },
    });
    expect(both.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const reversed = await gql(
      tenantA,
      'query($from: DateTime!, $to: DateTime!) { serviceGraph(from: $from, to: $to) { truncated } }',
      { from: window.to, to: window.from },
    );
    expect(reversed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    policiesDown = true;
    try {
      const down = await gql(
        tenantA,
        'query($from: DateTime!, $to: DateTime!) { threatSignals(from: $from, to: $to) { zoneCrossings { flows } } }',
        window,
      );
      expect(down.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      policiesDown = false;
    }
    expect(new Set(callers)).toEqual(new Set(['telemetry']));
  });

  it("drops rollups past the tenant's retention with the flows", async () => {
    const old = flow(9_000, NOW_MIN - 10 * 86_400, web, api, 'allow');
    await dataSource.query(
      `INSERT INTO telemetry.flow_rollups VALUES ($1, to_timestamp($2), 'eu-west-1', 'shop', 'web', 'wep',
         'eu-west-1', 'shop', 'api', 'wep', '', 'allow', 'tcp', 8080, 1, 1, 1, 1, 1, 1, '{}')`,
      [tenantA, old.startTime],
    );
    const before = await rollupTotals();
    const { deletedRollups } = await partitions.maintain(Date.now());
    expect(deletedRollups).toBe(1);
    expect(await rollupTotals()).toEqual({
      ...before,
      flows: before.flows - 1,
      bytes: before.bytes - 2,
      rows: before.rows - 1,
    });
  });

  it("shows a tenant nothing of another's traffic", async () => {
    await ingest.ingest(job(randomUUID(), 'b-1', [flow(1, NOW_MIN - 60, web, api, 'allow')], tenantB));
    const graph = await gql(
      tenantB,
      'query($from: DateTime!, $to: DateTime!) { serviceGraph(from: $from, to: $to) { nodes { id } edges { allowedFlows } } }',
      window,
    );
    expect(graph.data.serviceGraph.nodes.map((n: Loose) => n.id).sort()).toEqual([
      'workload:b-1/shop/api',
      'workload:b-1/shop/web',
    ]);
    expect(graph.data.serviceGraph.edges).toEqual([{ allowedFlows: 1 }]);
  });
});
