import { type AgentHandle, parseScenario, SimulatedDriver, silentLogger } from '@meshplane/agent';
import { TELEMETRY_QUEUE } from '@meshplane/events';
import { queuePrefix } from '@meshplane/platform';
import {
  type ControlPlane,
  eventually,
  gql,
  registerAndInstall,
  signUpTenant,
  startControlPlane,
  startTcpProxy,
  type TcpProxy,
  TEST_REDIS_URL,
} from '@meshplane/testing';
import { Queue } from 'bullmq';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessAgentConfig, startInProcessAgent } from '../support/in-process-agent.js';

const SCENARIO = `
cluster: flows-e2e
seed: 4242
podCidr: 10.77.0.0/16
nodes: { count: 2 }
namespaces:
  - { name: shop, labels: { env: test } }
workloads:
  - { name: web, namespace: shop, replicas: 3, labels: { app: web } }
  - { name: api, namespace: shop, replicas: 2, labels: { app: api } }
services:
  - { name: api, namespace: shop, selector: { app: api }, ports: [{ name: http, port: 80, targetPort: 8080 }] }
flows:
  perSecond: 400
  peers: [{ cluster: other-1, podCidr: 10.78.0.0/16 }]
`;

describe('telemetry end to end: agent buffer → hub pull → queue → worker → Postgres → flows query', () => {
  let cp: ControlPlane;
  /** In front of the hub, so the test can cut the agent's socket like a network would. */
  let proxy: TcpProxy;
  let agent: AgentHandle;
  let driver: SimulatedDriver;
  let db: pg.Client;
  let owner: Awaited<ReturnType<typeof signUpTenant>>;
  let clusterId: string;

  const stored = async () => {
    const { rows } = await db.query<{
      count: number;
      distinct: number;
      min: number | null;
      max: number | null;
    }>(
      `SELECT count(*)::int AS count, count(DISTINCT seq)::int AS distinct, min(seq)::int AS min, max(seq)::int AS max
       FROM telemetry.flows WHERE cluster_id = $1`,
      [clusterId],
    );
    return rows[0]!;
  };

  beforeAll(async () => {
    cp = await startControlPlane({ TELEMETRY_IDLE_PULL_MS: '100', TELEMETRY_PULL_MAX_RECORDS: '200' });
    db = new pg.Client({ connectionString: cp.databaseUrl });
    await db.connect();
    owner = await signUpTenant(cp.gatewayUrl, 'Flows E2E');
    const installed = await registerAndInstall(cp.gatewayUrl, owner.token, {
      name: 'flows-e2e',
      labels: { geo: 'eu' },
    });
    clusterId = installed.clusterId;

    proxy = await startTcpProxy(cp.port(10));
    driver = new SimulatedDriver(parseScenario(SCENARIO, 'flows-e2e.yaml'), silentLogger);
    const config = inProcessAgentConfig({
      ...installed,
      hubUrl: `ws://127.0.0.1:${proxy.port}/agents`,
      apiUrl: cp.gatewayUrl,
    });
    agent = await startInProcessAgent(config, driver);
  }, 90_000);

  afterAll(async () => {
    await agent?.stop();
    await proxy?.close();
    await db?.end();
    await cp?.stop();
  });

  it('stores exactly the generated flows by seq — no gap, no duplicate — across cuts of the agent socket', {
    timeout: 90_000,
  }, async () => {
    // Flows reach Postgres, and the agent has heard so (acked ≥ 200, so the three cuts below,
    // each waiting for 100 more acks, leave more than 500 generated).
    await eventually(async () => ((await stored()).count >= 200 ? true : undefined), 30_000);
    await eventually(() => (agent.stats.flows.ackedSeq >= 200 ? true : undefined), 30_000);
    // Cut the socket mid-stream, three times, while the source keeps generating and batches are in flight.
    for (let cut = 0; cut < 3; cut += 1) {
      const before = agent.stats.flows.ackedSeq;
      expect(proxy.cut()).toBeGreaterThan(0);
      await eventually(() => (agent.stats.welcomes >= cut + 2 ? true : undefined), 20_000);
      await eventually(() => (agent.stats.flows.ackedSeq > before + 100 ? true : undefined), 20_000);
    }
    driver.flows.stop();
    const generated = agent.stats.flows.lastSeq;
    expect(agent.stats.flows.dropped).toBe(0);
    expect(generated).toBeGreaterThan(500);
    await eventually(() => (agent.stats.flows.ackedSeq === generated ? true : undefined), 30_000);
    const final = await eventually(async () => {
      const now = await stored();
      return now.count >= generated ? now : undefined;
    }, 30_000);
    expect(final).toEqual({ count: generated, distinct: generated, min: 1, max: generated });
    // Nothing more arrives late (a re-sent batch would show here as a second row for some seq):
    // once the telemetry queue holds no job, waiting, delayed or running, nothing is in flight.
    const queue = new Queue(TELEMETRY_QUEUE.name, {
      connection: { url: TEST_REDIS_URL },
      prefix: queuePrefix(cp.redisPrefix),
    });
    try {
      await eventually(async () => {
        const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
        return Object.values(counts).every((count) => count === 0) ? true : undefined;
      }, 30_000);
    } finally {
      await queue.close();
    }
    expect(await stored()).toEqual(final);
  });

  it('serves the stored flows, enriched, through the gateway', async () => {
    const result = await gql<{
      flows: {
        nodes: Array<{
          clusterId: string;
          action: string;
          source: { cluster: string; namespace: string; workload: string };
          destination: { cluster: string | null; workload: string; ip: string };
        }>;
        pageInfo: { hasNextPage: boolean };
      };
    }>(
      cp.gatewayUrl,
      `query($f: FlowFilter) { flows(filter: $f, first: 50) {
         nodes { clusterId action source { cluster namespace workload } destination { cluster workload ip } }
         pageInfo { hasNextPage } } }`,
      { f: { clusterId, namespace: 'shop' } },
      owner.token,
    );
    expect(result.errors).toBeUndefined();
    const flows = result.data!.flows;
    expect(flows.nodes).toHaveLength(50);
    expect(flows.pageInfo.hasNextPage).toBe(true);
    for (const flow of flows.nodes) {
      expect(flow.clusterId).toBe(clusterId);
      expect(flow.source).toMatchObject({ cluster: 'flows-e2e', namespace: 'shop' });
      expect(['web', 'api']).toContain(flow.source.workload);
    }
    const other = await signUpTenant(cp.gatewayUrl, 'Flows E2E Other');
    const foreign = await gql<{ flows: { nodes: unknown[] } }>(
      cp.gatewayUrl,
      'query($f: FlowFilter) { flows(filter: $f) { nodes { clusterId } } }',
      { f: { clusterId } },
      other.token,
    );
    expect(foreign.data?.flows.nodes).toEqual([]);
  });
});
