import { randomUUID } from 'node:crypto';
import type { FlowEndpoint } from '@meshplane/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PeerResolver, PeersByIp, RemotePeer } from '../src/flows/peer-directory.js';
import {
  flowRecord,
  type Loose,
  podsOf,
  startTelemetry,
  type TelemetryHarness,
  telemetryJob,
} from './telemetry-harness.js';

const SECRET = 'telemetry-service-graph-identity-secret-0123';
const NOW_MIN = Math.floor(Date.now() / 60_000) * 60;

const west = { id: randomUUID(), name: 'west' };
const east = { id: randomUUID(), name: 'east' };

const pod = (clusterName: string, name: string, app: string): RemotePeer => ({
  clusterName,
  namespace: 'shop',
  name,
  labels: { app, 'pod-template-hash': name.split('-')[1]! },
});
/** The pods of both clusters, as the clusters service's `endpoints-by-ip` answers for them. */
const pods: Record<string, RemotePeer> = {
  '10.1.0.5': pod('west', 'web-6c9d7b5f4d-x2k9p', 'web'),
  // The db pods' `app` label is not their Deployment's name: only the address tells the workload.
  '10.2.0.7': pod('east', 'db-5b5b5b5b5b-q8r7s', 'postgres'),
  '10.2.0.8': pod('east', 'db-5b5b5b5b5b-t4u5v', 'postgres'),
};
const peers: PeerResolver = {
  resolve: async (_tenantId, ips): Promise<PeersByIp> =>
    new Map(ips.map((ip) => [ip, pods[ip] === undefined ? [] : [pods[ip]!]])),
};

/** West's web pods, and east's db and cache pods, as each cluster's own flows name them. */
const webInWest = podsOf('web', '6c9d7b5f4d', '10.1.0.5');
const dbInEast = podsOf('db', '5b5b5b5b5b', '10.2.0.7', { app: 'postgres', port: 5432 });
const cacheInEast = podsOf('cache', '7f7f7f7f7f', '10.2.0.30');
const address = (type: 'pvt' | 'pub', ip: string, port?: number): FlowEndpoint => ({
  name: type,
  namespace: '',
  type,
  labels: {},
  ip,
  ...(port === undefined ? {} : { port }),
});
/** How west sees a db pod of east: a bare private address (no network set for it there)… */
const dbAsAddress = address('pvt', '10.2.0.8', 5432);
/** …and another db pod through the network set Meshplane installed for it. */
const dbAsNetworkSet: FlowEndpoint = {
  name: 'mp-0123456789abcdef0123',
  namespace: 'shop',
  type: 'ns',
  labels: {
    app: 'postgres',
    'pod-template-hash': '5b5b5b5b5b',
    'meshplane.io/cluster': 'east',
    'meshplane.io/namespace': 'shop',
    'meshplane.io/managed': 'true',
    'app.kubernetes.io/managed-by': 'meshplane',
  },
  ip: '10.2.0.7',
  port: 5432,
};
/** How east sees west's web pod answering: a bare address. */
const webAsAddress = address('pvt', '10.1.0.5');
/** West's web reaching east's db through a Service named db (resolved by address). */
const dbInEastViaService = address('pvt', '10.2.0.7', 5432);
/** Truly outside: a public address and an address no cluster holds. */
const internet = address('pub', '93.184.216.34', 443);
const unknownPrivate = address('pvt', '10.9.9.9', 53);

const flow = (seq: number, source: FlowEndpoint, destination: FlowEndpoint) =>
  flowRecord(seq, NOW_MIN - 300 + seq, source, destination);

describe('service graph: one node per workload across clusters (real Postgres)', () => {
  let telemetry: TelemetryHarness;
  const tenantId = randomUUID();

  beforeAll(async () => {
    telemetry = await startTelemetry({ secret: SECRET, peers: () => peers });
    await telemetry.ingest.ingest(
      telemetryJob(tenantId, west, [
        flow(1, webInWest, dbAsAddress),
        flow(2, webInWest, dbAsNetworkSet),
        flow(3, webInWest, internet),
        flow(4, webInWest, unknownPrivate),
        flowRecord(5, NOW_MIN - 200, webInWest, dbInEastViaService, {
          destService: { namespace: 'shop', name: 'db', portName: 'pg', port: 5432 },
          action: 'deny',
        }),
      ]),
    );
    await telemetry.ingest.ingest(
      telemetryJob(tenantId, east, [flow(1, cacheInEast, dbInEast), flow(2, dbInEast, webAsAddress)]),
    );
  });

  afterAll(async () => {
    await telemetry?.close();
  });

  async function graph(): Promise<{ nodes: Loose[]; edges: Loose[] }> {
    const result = await telemetry.gql(
      tenantId,
      `query($from: DateTime!, $to: DateTime!) { serviceGraph(from: $from, to: $to) {
        nodes { id kind cluster namespace name } edges { source destination crossCluster allowedFlows } } }`,
      {
        from: new Date((NOW_MIN - 3_600) * 1_000).toISOString(),
        to: new Date((NOW_MIN + 60) * 1_000).toISOString(),
      },
    );
    expect(result.errors).toBeUndefined();
    return result.data.serviceGraph;
  }

  async function edgeFlows(source: string, destination: string) {
    return telemetry.gql(
      tenantId,
      `query($edge: FlowEdgeFilter!) { flows(filter: { edge: $edge }) { nodes { clusterId seq action } } }`,
      { edge: { source, destination } },
    );
  }

  it('draws a remote pod, reached by address or through its network set, as the WORKLOAD node of its own cluster', async () => {
    const { nodes, edges } = await graph();
    expect(nodes.map((n: Loose) => `${n.kind} ${n.id}`).sort()).toEqual([
      'NETWORK network://pub',
      'NETWORK network://pvt',
      'SERVICE service:east/shop/db',
      'WORKLOAD workload:east/shop/cache',
      'WORKLOAD workload:east/shop/db',
      'WORKLOAD workload:west/shop/web',
    ]);
    const edge = (from: string, to: string) =>
      edges.filter((e: Loose) => e.source === from && e.destination === to);
    // West's two flows to east's db (one by address, one through the set) join on one edge.
    expect(edge('workload:west/shop/web', 'workload:east/shop/db')).toEqual([
      {
        source: 'workload:west/shop/web',
        destination: 'workload:east/shop/db',
        crossCluster: true,
        allowedFlows: 2,
      },
    ]);
    // East's own flows meet the same db node, and its answer to west's web the same web node.
    expect(edge('workload:east/shop/cache', 'workload:east/shop/db')).toHaveLength(1);
    // The flow through the Service is drawn as web → Service → db.
    expect(edge('workload:west/shop/web', 'service:east/shop/db')).toHaveLength(1);
    expect(edge('service:east/shop/db', 'workload:east/shop/db')).toHaveLength(1);
    expect(edge('workload:east/shop/db', 'workload:west/shop/web')).toEqual([
      {
        source: 'workload:east/shop/db',
        destination: 'workload:west/shop/web',
        crossCluster: true,
        allowedFlows: 1,
      },
    ]);
  });

  it('answers the flows drawn on one edge with flows(filter: { edge }), and nothing else', async () => {
    const answer = await telemetry.gql(
      tenantId,
      `query($from: DateTime!, $to: DateTime!) { serviceGraph(from: $from, to: $to) {
        edges { source destination allowedFlows deniedFlows } } }`,
      {
        from: new Date((NOW_MIN - 3_600) * 1_000).toISOString(),
        to: new Date((NOW_MIN + 60) * 1_000).toISOString(),
      },
    );
    const edges: Loose[] = answer.data.serviceGraph.edges;
    expect(edges.length).toBeGreaterThan(5);
    const seqs = async (source: string, destination: string) => {
      const result = await edgeFlows(source, destination);
      expect(result.errors).toBeUndefined();
      return result.data.flows.nodes
        .map((f: Loose) => `${f.clusterId === west.id ? 'west' : 'east'}#${f.seq}`)
        .sort();
    };
    // Every edge's flows, summed, are the edge's allowed flows (one flow of this data per record).
    for (const e of edges) {
      expect([e.source, e.destination, (await seqs(e.source, e.destination)).length]).toEqual([
        e.source,
        e.destination,
        e.allowedFlows + e.deniedFlows,
      ]);
    }
    expect(await seqs('workload:west/shop/web', 'workload:east/shop/db')).toEqual(['west#1', 'west#2']);
    expect(await seqs('workload:east/shop/db', 'workload:west/shop/web')).toEqual(['east#2']);
    expect(await seqs('network://pub', 'workload:west/shop/web')).toEqual([]);
    expect(await seqs('workload:west/shop/web', 'network://pub')).toEqual(['west#3']);
    // A flow through a Service is on both of its edges, and not on the direct one.
    expect(await seqs('workload:west/shop/web', 'service:east/shop/db')).toEqual(['west#5']);
    expect(await seqs('service:east/shop/db', 'workload:east/shop/db')).toEqual(['west#5']);
  });

  it('refuses an edge filter that names no service-graph node, naming the field', async () => {
    const bad = await edgeFlows('pod:west/shop/web', 'workload:east/shop/db');
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.edge.source',
    });
    const services = await edgeFlows('service:east/shop/db', 'service:east/shop/db');
    expect(services.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.edge.destination',
    });
  });
});
