import { type AgentHandle, parseScenario, SimulatedDriver, silentLogger } from '@meshplane/agent';
import {
  type ControlPlane,
  gql,
  registerAndInstall,
  signUpTenant,
  startControlPlane,
} from '@meshplane/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessAgentConfig, startInProcessAgent } from '../support/in-process-agent.js';
import { eventually, must } from './mesh-fixtures.js';
import { addMeshPeers } from './policies-fixtures.js';

/**
 * Insight end to end: two simulated clusters whose traffic obeys the config pushed to them,
 * flows pulled by the hub and stored by the worker, and the telemetry subgraph's service graph,
 * recommendation and what-if read through the gateway.
 */

/** Small pod CIDRs, so that the simulated cross-cluster flows often hit a real pod of the peer. */
const scenario = (name: string, seed: number, cidr: string, peer: string, peerCidr: string) => `
cluster: ${name}
seed: ${seed}
podCidr: ${cidr}
nodes: { count: 2 }
namespaces:
  - { name: shop, labels: { env: test } }
workloads:
  - { name: web, namespace: shop, replicas: 3, labels: { app: web } }
  - { name: api, namespace: shop, replicas: 2, labels: { app: api } }
  - { name: db, namespace: shop, replicas: 1, labels: { app: db } }
services:
  - { name: api, namespace: shop, selector: { app: api }, ports: [{ name: http, port: 80, targetPort: 8080 }] }
  - { name: db, namespace: shop, selector: { app: db }, ports: [{ name: pg, port: 5432, targetPort: 5432 }] }
flows:
  perSecond: 150
  peers: [{ cluster: ${peer}, podCidr: ${peerCidr} }]
`;

const CREATE_POLICY =
  'mutation($input: CreatePolicyInput!) { createPolicy(input: $input) { policyId changeId policy { staged spec { staged } } } }';

// biome-ignore lint/suspicious/noExplicitAny: the test reads GraphQL answers loosely
type Loose = any;

describe('telemetry insight end to end: deny shows as denied flows; recommend → staged → what-if; a cross-cluster graph', () => {
  let cp: ControlPlane;
  let token: string;
  const agents: AgentHandle[] = [];
  const drivers: SimulatedDriver[] = [];
  let db: pg.Client;
  const clusters: Record<string, string> = {};

  const query = <T>(q: string, variables: Record<string, unknown> = {}) =>
    must<T>(cp.gatewayUrl, q, variables, token);

  async function addCluster(name: string, geo: string, yaml: string) {
    const installed = await registerAndInstall(cp.gatewayUrl, token, { name, labels: { geo } });
    clusters[name] = installed.clusterId;
    const config = inProcessAgentConfig({
      ...installed,
      hubUrl: `ws://127.0.0.1:${cp.port(10)}/agents`,
      apiUrl: cp.gatewayUrl,
    });
    const driver = new SimulatedDriver(parseScenario(yaml, `${name}.yaml`), silentLogger);
    drivers.push(driver);
    agents.push(await startInProcessAgent(config, driver));
  }

  const flowCount = async (filter: Record<string, unknown>) =>
    (
      await query<{ flows: { nodes: unknown[] } }>(
        'query($f: FlowFilter) { flows(filter: $f, first: 5) { nodes { seq } } }',
        {
          f: filter,
        },
      )
    ).flows.nodes.length;

  beforeAll(async () => {
    cp = await startControlPlane({ TELEMETRY_IDLE_PULL_MS: '100', TELEMETRY_PULL_MAX_RECORDS: '500' });
    db = new pg.Client({ connectionString: cp.databaseUrl });
    await db.connect();
    token = (await signUpTenant(cp.gatewayUrl, 'Insight E2E')).token;
    await addCluster('west', 'eu', scenario('west', 11, '10.81.0.0/26', 'east', '10.82.0.0/26'));
    await addCluster('east', 'eu', scenario('east', 12, '10.82.0.0/26', 'west', '10.81.0.0/26'));
    await addMeshPeers(cp.gatewayUrl, token, ['east', 'west']);
    for (const id of Object.values(clusters))
      await eventually(
        async () => ((await flowCount({ clusterId: id })) > 0 ? true : undefined),
        30_000,
        'flows stored',
      );
  }, 120_000);

  afterAll(async () => {
    for (const agent of agents) await agent.stop();
    await db?.end();
    await cp?.stop();
  });

  it('shows a deny policy pushed through GraphQL as denied flows within seconds', {
    timeout: 60_000,
  }, async () => {
    expect(await flowCount({ action: 'DENY' })).toBe(0);
    const pushed = Date.now();
    await query(CREATE_POLICY, {
      input: {
        kind: 'NetworkPolicy',
        name: 'deny-web-to-db',
        namespace: 'shop',
        spec: {
          tier: 'security',
          order: 100,
          selector: "app == 'db'",
          ingress: [{ action: 'Deny', source: { selector: "app == 'web'" } }, { action: 'Pass' }],
        },
      },
    });
    const denied = await eventually(
      async () => {
        const { flows } = await query<{ flows: { nodes: Loose[] } }>(
          `query($f: FlowFilter) { flows(filter: $f, first: 20) {
             nodes { action source { workload } destination { workload } policies { tier name calicoName namespace action } } } }`,
          { f: { action: 'DENY', clusterId: clusters.west } },
        );
        return flows.nodes.length > 0 ? flows.nodes : undefined;
      },
      20_000,
      'denied flows of the new policy',
    );
    expect(Date.now() - pushed).toBeLessThan(20_000);
    for (const flow of denied) {
      expect(flow).toMatchObject({ source: { workload: 'web' }, destination: { workload: 'db' } });
      // The policy's name; Calico names its object `<tier>.<name>`.
      expect(flow.policies).toContainEqual({
        tier: 'security',
        name: 'deny-web-to-db',
        calicoName: 'security.deny-web-to-db',
        namespace: 'shop',
        action: 'DENY',
      });
    }
  });

  it('draws the service graph across clusters, from the rollups', { timeout: 60_000 }, async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const graph = await eventually(
      async () => {
        const { serviceGraph } = await query<{ serviceGraph: Loose }>(
          `query($from: DateTime!, $to: DateTime!) { serviceGraph(from: $from, to: $to) {
             nodes { id kind cluster namespace name } edges { source destination crossCluster bytes allowedFlows deniedFlows policies } } }`,
          { from, to: new Date(Date.now() + 60_000).toISOString() },
        );
        const west = serviceGraph.edges.some((e: Loose) => e.crossCluster && e.source.includes(':west/'));
        const east = serviceGraph.edges.some((e: Loose) => e.crossCluster && e.source.includes(':east/'));
        const denied = serviceGraph.edges.some((e: Loose) => e.deniedFlows > 0);
        return west && east && denied ? serviceGraph : undefined;
      },
      40_000,
      'cross-cluster edges both ways',
    );
    const cross = graph.edges.filter((e: Loose) => e.crossCluster);
    for (const edge of cross) expect(edge.bytes).toBeGreaterThan(0);
    const ids = new Set(graph.nodes.map((n: Loose) => n.id));
    expect(ids.has('workload:west/shop/web')).toBe(true);
    expect(ids.has('service:west/shop/api')).toBe(true);
    expect(ids.has('workload:east/shop/db')).toBe(true);
    // Denied flows are web's, to the db pods directly or through the db Service, and carry the policy.
    const denied = graph.edges.filter((e: Loose) => e.deniedFlows > 0);
    expect(denied.length).toBeGreaterThan(0);
    for (const edge of denied) {
      // The policy has no clusterSelector: both clusters enforce it.
      expect(`${edge.source}>${edge.destination}`).toMatch(
        /^(workload:(west|east)\/shop\/web>(service|workload):\2\/shop\/db|service:(west|east)\/shop\/db>workload:\4\/shop\/db)$/,
      );
      expect(edge.policies).toContain('shop/deny-web-to-db');
    }
  });

  it('recommends a staged policy, creates it as is, and enforcing it in a what-if changes no observed allowed flow', {
    timeout: 90_000,
  }, async () => {
    // Wait until the recommendation names a peer of the other cluster by its cluster label.
    const recommendation = await eventually(
      async () => {
        const { recommendPolicy } = await query<{ recommendPolicy: Loose }>(
          'query($i: RecommendPolicyInput!) { recommendPolicy(input: $i) { input from to observed rules unattributed truncated } }',
          { i: { clusterId: clusters.west, namespace: 'shop', lookback: 30 } },
        );
        const crossCluster = recommendPolicy.input.spec.ingress.some((rule: Loose) =>
          String(rule.source?.selector ?? '').includes('meshplane.io/cluster == "east"'),
        );
        return crossCluster ? recommendPolicy : undefined;
      },
      40_000,
      'a recommendation with a cross-cluster peer',
    );
    // Stop the traffic and wait until every generated flow is stored, so that the what-if below
    // reads exactly the flows the recommendation learnt from (late batches would add new ones).
    for (const driver of drivers) driver.flows.stop();
    for (const [index, agent] of agents.entries()) {
      const clusterId = Object.values(clusters)[index]!;
      await eventually(
        async () => {
          const generated = agent.stats.flows.lastSeq;
          if (agent.stats.flows.ackedSeq !== generated) return undefined;
          const { rows } = await db.query<{ count: number }>(
            'SELECT count(*)::int AS count FROM telemetry.flows WHERE cluster_id = $1',
            [clusterId],
          );
          return rows[0]!.count === generated ? true : undefined;
        },
        30_000,
        'every generated flow stored',
      );
    }
    const { recommendPolicy: learnt } = await query<{ recommendPolicy: Loose }>(
      'query($i: RecommendPolicyInput!) { recommendPolicy(input: $i) { input from to observed rules unattributed truncated } }',
      { i: { clusterId: clusters.west, namespace: 'shop', lookback: 30 } },
    );
    expect(learnt.rules).toBeGreaterThanOrEqual(recommendation.rules);
    Object.assign(recommendation, learnt);
    expect(recommendation.input).toMatchObject({
      kind: 'NetworkPolicy',
      namespace: 'shop',
      spec: {
        staged: true,
        selector: 'all()',
        types: ['Ingress'],
        clusterSelector: 'meshplane.io/cluster == "west"',
      },
    });
    expect(recommendation.rules).toBeGreaterThan(1);

    const created = await query<{ createPolicy: { policyId: string; policy: { staged: boolean } } }>(
      CREATE_POLICY,
      {
        input: recommendation.input,
      },
    );
    expect(created.createPolicy.policy.staged).toBe(true);

    const WHAT_IF = `query($i: WhatIfInput!) { whatIf(input: $i) {
      evaluated skipped changed newlyDenied newlyAllowed truncated
      flows { oldAction newAction oldTrace newTrace flow { source { cluster workload } destination { cluster workload } } } } }`;
    const window = { from: recommendation.from, to: recommendation.to };
    const enforce = await query<{ whatIf: Loose }>(WHAT_IF, {
      i: {
        ...window,
        changes: [
          { upsert: { ...recommendation.input, spec: { ...recommendation.input.spec, staged: false } } },
        ],
      },
    });
    expect(enforce.whatIf.evaluated).toBeGreaterThan(100);
    expect(enforce.whatIf.truncated).toBe(false);
    expect(enforce.whatIf.newlyDenied, JSON.stringify(enforce.whatIf.flows.slice(0, 3))).toBe(0);
    expect(enforce.whatIf.flows.filter((f: Loose) => f.oldAction === 'ALLOW')).toEqual([]);

    // The same what-if is not blind: locking the api down denies the api flows that were allowed.
    const lockdown = await query<{ whatIf: Loose }>(WHAT_IF, {
      i: {
        ...window,
        changes: [
          {
            upsert: {
              kind: 'NetworkPolicy',
              name: 'lockdown',
              namespace: 'shop',
              spec: {
                selector: "app == 'api'",
                types: ['Ingress'],
                clusterSelector: "meshplane.io/cluster == 'west'",
              },
            },
          },
        ],
      },
    });
    expect(lockdown.whatIf.newlyDenied).toBeGreaterThan(0);
    for (const flow of lockdown.whatIf.flows) {
      expect(flow).toMatchObject({
        oldAction: 'ALLOW',
        newAction: 'DENY',
        flow: { destination: { cluster: 'west', workload: 'api' } },
      });
      expect(flow.newTrace).toContain('ingress: tier default: no rule decided → tier default Deny');
    }
  });

  it('keeps the other tenant out of the insight queries', async () => {
    const other = await signUpTenant(cp.gatewayUrl, 'Insight E2E Other');
    const foreign = await gql<Loose>(
      cp.gatewayUrl,
      'query($i: RecommendPolicyInput!) { recommendPolicy(input: $i) { rules } }',
      { i: { clusterId: clusters.west, namespace: 'shop' } },
      other.token,
    );
    expect(foreign.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const graph = await gql<Loose>(
      cp.gatewayUrl,
      'query($from: DateTime!, $to: DateTime!) { serviceGraph(from: $from, to: $to) { nodes { id } } }',
      { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date().toISOString() },
      other.token,
    );
    expect(graph.data.serviceGraph.nodes).toEqual([]);
  });
});
