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

  it('draws a remote pod, reached by address or through its network set, as the WORKLOAD node of its own cluster', async () => {
    const { nodes, edges } = await graph();
    expect(nodes.map((n: Loose) => `${n.kind} ${n.id}`).sort()).toEqual([
      'NETWORK network://pub',
      'NETWORK network://pvt',
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
    expect(edge('workload:east/shop/db', 'workload:west/shop/web')).toEqual([
      {
        source: 'workload:east/shop/db',
        destination: 'workload:west/shop/web',
        crossCluster: true,
        allowedFlows: 1,
      },
    ]);
  });
});
