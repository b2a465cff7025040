import { type AgentHandle, parseScenario, SimulatedDriver, silentLogger } from '@meshplane/agent';
import type { InventoryObject } from '@meshplane/protocol';
import {
  type ControlPlane,
  eventually,
  gql,
  registerAndInstall,
  signUpTenant,
  startControlPlane,
} from '@meshplane/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpEntry, TestEnvoy } from '../../agent/src/telemetry/envoy/spec-support/test-envoy.js';
import { inProcessAgentConfig, startInProcessAgent } from '../support/in-process-agent.js';

const SCENARIO = `
cluster: l7-e2e
seed: 7
podCidr: 10.81.0.0/16
nodes: { count: 1 }
namespaces: [{ name: shop, labels: { env: test } }]
workloads:
  - { name: web, namespace: shop, replicas: 1, labels: { app: web } }
  - { name: api, namespace: shop, replicas: 1, labels: { app: api } }
flows: { perSecond: 0 }
`;

const SECRET = 'Sekr3t-Query-Token-4f9a';

/**
 * L7 end to end: a node Envoy (a real gRPC client, messages encoded from the vendored Envoy
 * protos) streams its HTTP access log to the agent's access-log service; the hub pulls the
 * records on their own stream, the telemetry worker joins both ends to their pods and stores each
 * once in `telemetry.http_requests`. A token in a query string is nowhere in the database.
 */
describe('HTTP requests from Envoy access logs', () => {
  let cp: ControlPlane;
  let agent: AgentHandle;
  let envoy: TestEnvoy;
  let db: pg.Client;
  let tenantId: string;
  let token: string;
  let web: string;
  let api: string;

  beforeAll(async () => {
    cp = await startControlPlane({ TELEMETRY_IDLE_PULL_MS: '100' });
    token = (await signUpTenant(cp.gatewayUrl, 'L7 Co')).token;
    const installed = await registerAndInstall(cp.gatewayUrl, token, { name: 'l7-e2e', labels: {} });
    const driver = new SimulatedDriver(parseScenario(SCENARIO, 'l7-e2e.yaml'), silentLogger);
    agent = await startInProcessAgent(
      inProcessAgentConfig(installed, { envoyAls: { host: '127.0.0.1', port: 0 } }),
      driver,
    );
    await eventually(() => agent.welcome, 30_000, 'the agent is welcomed');
    tenantId = agent.welcome!.tenantId;
    const pods = agent.inventory
      .list()
      .filter((object): object is Extract<InventoryObject, { kind: 'pod' }> => object.kind === 'pod');
    web = pods.find((pod) => pod.labels.app === 'web')!.ips[0]!;
    api = pods.find((pod) => pod.labels.app === 'api')!.ips[0]!;
    envoy = new TestEnvoy(`127.0.0.1:${agent.envoyAlsPort}`);
    db = new pg.Client({ connectionString: cp.databaseUrl });
    await db.connect();
  }, 90_000);

  afterAll(async () => {
    envoy?.close();
    await db?.end();
    await agent?.stop();
    await cp?.stop();
  });

  function entry(path: string, code: number, method = 'GET') {
    const base = httpEntry({ path, code, method });
    const now = Date.now();
    return {
      ...base,
      common_properties: {
        ...base.common_properties,
        start_time: { seconds: Math.floor(now / 1_000), nanos: (now % 1_000) * 1e6 },
        downstream_remote_address: { socket_address: { address: web, port_value: 40_000 } },
        upstream_remote_address: { socket_address: { address: api, port_value: 8080 } },
      },
    };
  }

  it('stores each request once with both ends joined to their workloads, and no query token anywhere', {
    timeout: 60_000,
  }, async () => {
    const entries = [
      entry(`/orders/12345?access_token=${SECRET}`, 200),
      entry('/orders/777/items', 503, 'POST'),
      entry('/healthz', 200),
    ];
    const status = await envoy.stream([
      envoy.encode({
        identifier: { node: { id: 'node-envoy', cluster: 'node' }, log_name: 'meshplane' },
        http_logs: { log_entry: entries },
      }),
    ]);
    expect(status).toBeNull();
    await eventually(
      () =>
        agent.stats.httpRequests.ackedSeq >= agent.stats.httpRequests.lastSeq &&
        agent.stats.httpRequests.lastSeq >= 3
          ? true
          : undefined,
      30_000,
      'the hub acknowledged the HTTP records',
    );
    const { rows } = await db.query(
      `SELECT seq, method, path, response_code, src_cluster, src_namespace, src_workload, dst_workload, dst_port
         FROM telemetry.http_requests WHERE tenant_id = $1 ORDER BY seq`,
      [tenantId],
    );
    const ends = {
      src_cluster: 'l7-e2e',
      src_namespace: 'shop',
      src_workload: 'web',
      dst_workload: 'api',
      dst_port: 8080,
    };
    expect(rows).toEqual([
      { seq: '1', method: 'GET', path: '/orders/{id}', response_code: 200, ...ends },
      { seq: '2', method: 'POST', path: '/orders/{id}/items', response_code: 503, ...ends },
      { seq: '3', method: 'GET', path: '/healthz', response_code: 200, ...ends },
    ]);

    // The token is in no row of any table of any schema.
    const tables = await db.query(
      `SELECT table_schema, table_name FROM information_schema.tables
        WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'`,
    );
    let scanned = 0;
    for (const { table_schema, table_name } of tables.rows) {
      const { rows: hits } = await db.query(
        `SELECT count(*)::int AS n FROM "${table_schema}"."${table_name}" t WHERE row_to_json(t)::text LIKE $1`,
        [`%${SECRET}%`],
      );
      expect(hits[0].n, `${table_schema}.${table_name}`).toBe(0);
      scanned += 1;
    }
    expect(scanned).toBeGreaterThan(10);
  });

  // biome-ignore lint/suspicious/noExplicitAny: the test reads GraphQL answers loosely
  type Loose = any;
  const QUERY = `query($filter: HttpRequestFilter, $first: Int, $after: String) {
    httpRequests(filter: $filter, first: $first, after: $after) {
      nodes { seq method path responseCode durationMs authority requestId
        source { cluster namespace workload ip } destination { cluster namespace workload port } }
      pageInfo { hasNextPage endCursor } } }`;
  const ask = (variables: Record<string, unknown>) => gql<Loose>(cp.gatewayUrl, QUERY, variables, token);
  const seqs = async (filter: Record<string, unknown>) => {
    const answer = await ask({ filter });
    expect(answer.errors).toBeUndefined();
    return answer.data.httpRequests.nodes.map((node: Loose) => node.seq);
  };

  it('answers httpRequests through the gateway with filters and cursor pages, newest first', {
    timeout: 30_000,
  }, async () => {
    const all = await ask({});
    expect(all.errors).toBeUndefined();
    const nodes = all.data.httpRequests.nodes;
    expect(nodes.map((node: Loose) => node.seq)).toEqual([3, 2, 1]);
    expect(nodes[2]).toMatchObject({
      method: 'GET',
      path: '/orders/{id}',
      responseCode: 200,
      durationMs: 42,
      authority: 'api.shop.svc:8080',
      source: { cluster: 'l7-e2e', namespace: 'shop', workload: 'web', ip: web },
      destination: { cluster: 'l7-e2e', namespace: 'shop', workload: 'api', port: 8080 },
    });
    expect(JSON.stringify(all.data)).not.toContain(SECRET);

    expect(await seqs({ method: 'POST' })).toEqual([2]);
    expect(await seqs({ statusClass: 5 })).toEqual([2]);
    expect(await seqs({ statusClass: 2 })).toEqual([3, 1]);
    expect(await seqs({ pathPrefix: '/orders/' })).toEqual([2, 1]);
    expect(await seqs({ workload: 'api', namespace: 'shop' })).toEqual([3, 2, 1]);
    expect(await seqs({ workload: 'nobody' })).toEqual([]);

    const first = await ask({ first: 2 });
    expect(first.data.httpRequests.nodes.map((node: Loose) => node.seq)).toEqual([3, 2]);
    expect(first.data.httpRequests.pageInfo.hasNextPage).toBe(true);
    const second = await ask({ first: 2, after: first.data.httpRequests.pageInfo.endCursor });
    expect(second.data.httpRequests.nodes.map((node: Loose) => node.seq)).toEqual([1]);
    expect(second.data.httpRequests.pageInfo.hasNextPage).toBe(false);
  });

  it('puts request rate, error rate and latency percentiles on the service-graph edge', {
    timeout: 30_000,
  }, async () => {
    const answer = await gql<Loose>(
      cp.gatewayUrl,
      `query($from: DateTime!, $to: DateTime!) { serviceGraph(from: $from, to: $to) { edges { source destination bytes http {
          requests requestsPerSecond errorRate status2xx status5xx latencyP50Ms latencyP95Ms latencyP99Ms } } } }`,
      {
        from: new Date(Date.now() - 3_600_000).toISOString(),
        to: new Date(Date.now() + 60_000).toISOString(),
      },
      token,
    );
    expect(answer.errors).toBeUndefined();
    const edge = answer.data.serviceGraph.edges.find((candidate: Loose) => candidate.http !== null);
    expect(edge.source).toContain('web');
    expect(edge.destination).toContain('api');
    expect(edge.http).toMatchObject({ requests: 3, status2xx: 2, status5xx: 1 });
    expect(edge.http.errorRate).toBeCloseTo(1 / 3, 6);
    expect(edge.http.requestsPerSecond).toBeGreaterThan(0);
    for (const percentile of [edge.http.latencyP50Ms, edge.http.latencyP95Ms, edge.http.latencyP99Ms])
      expect(Math.abs(percentile - 42)).toBeLessThanOrEqual(42 * 0.0101);
  });

  it('refuses bad input with a clear error', async () => {
    for (const [variables, field] of [
      [{ after: 'not-a-cursor' }, 'after'],
      [{ filter: { pathPrefix: 'orders' } }, 'filter.pathPrefix'],
      [{ filter: { statusClass: 9 } }, 'filter.statusClass'],
      [{ first: 0 }, 'first'],
    ] as const) {
      const answer = await ask(variables);
      expect(answer.data?.httpRequests ?? null).toBeNull();
      expect(answer.errors?.[0]?.extensions?.code, JSON.stringify(variables)).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(answer.errors), JSON.stringify(variables)).toContain(field);
    }
  });
});
