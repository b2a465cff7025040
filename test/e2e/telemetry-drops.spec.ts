import { type AgentHandle, parseScenario, SimulatedDriver, silentLogger } from '@meshplane/agent';
import {
  type ControlPlane,
  eventually,
  gql,
  registerAndInstall,
  signUpTenant,
  startControlPlane,
  startTcpProxy,
  type TcpProxy,
} from '@meshplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessAgentConfig, startInProcessAgent } from '../support/in-process-agent.js';

const SCENARIO = `
cluster: drops-e2e
seed: 99
podCidr: 10.79.0.0/16
nodes: { count: 1 }
namespaces: [{ name: shop, labels: { env: test } }]
workloads:
  - { name: web, namespace: shop, replicas: 2, labels: { app: web } }
  - { name: api, namespace: shop, replicas: 2, labels: { app: api } }
flows: { perSecond: 400 }
`;

/**
 * An agent whose flow buffer overflows while the network to the hub is stalled drops the oldest
 * records and reports how many; the count reaches `Cluster.flowTelemetry` through the gateway
 * (clusters and telemetry subgraphs composed), exactly as the agent counted it.
 */
describe('flows an agent had to drop are reported on the cluster', () => {
  let cp: ControlPlane;
  let proxy: TcpProxy;
  let agent: AgentHandle;
  let driver: SimulatedDriver;
  let token: string;
  let clusterId: string;

  beforeAll(async () => {
    cp = await startControlPlane({
      TELEMETRY_IDLE_PULL_MS: '100',
      HEARTBEAT_INTERVAL_MS: '300',
      SESSION_TIMEOUT_MS: '1500',
    });
    token = (await signUpTenant(cp.gatewayUrl, 'Drops Co')).token;
    const installed = await registerAndInstall(cp.gatewayUrl, token, { name: 'drops-e2e', labels: {} });
    clusterId = installed.clusterId;
    proxy = await startTcpProxy(cp.port(10));
    driver = new SimulatedDriver(parseScenario(SCENARIO, 'drops-e2e.yaml'), silentLogger);
    const config = inProcessAgentConfig(
      { ...installed, hubUrl: `ws://127.0.0.1:${proxy.port}/agents` },
      { welcomeTimeoutMs: 2_000, flowBufferRecords: 100 },
    );
    agent = await startInProcessAgent(config, driver);
  }, 90_000);

  afterAll(async () => {
    await agent?.stop();
    await proxy?.close();
    await cp?.stop();
  });

  const reported = async () => {
    const result = await gql<{ cluster: { name: string; flowTelemetry: { droppedFlows: number } } }>(
      cp.gatewayUrl,
      'query($id: ID!) { cluster(id: $id) { name flowTelemetry { droppedFlows lastDropAt } } }',
      { id: clusterId },
      token,
    );
    expect(result.errors).toBeUndefined();
    return result.data!.cluster;
  };

  it('counts what the full buffer dropped during a network stall', { timeout: 60_000 }, async () => {
    await eventually(() => (agent.stats.flows.ackedSeq > 0 ? true : undefined), 20_000);
    // The buffer may already have overflowed before the first session; the stall adds more.
    const before = agent.stats.flows.dropped;
    proxy.stall();
    await eventually(() => (agent.stats.flows.dropped > before + 200 ? true : undefined), 20_000);
    proxy.resume();
    // Once the buffer drains again, stop generating: the count no longer moves.
    await eventually(() => (agent.stats.welcomes >= 2 ? true : undefined), 20_000);
    driver.flows.stop();
    const dropped = agent.stats.flows.dropped;
    const generated = agent.stats.flows.lastSeq;
    await eventually(() => (agent.stats.flows.ackedSeq === generated ? true : undefined), 20_000);
    await eventually(
      async () => ((await reported()).flowTelemetry.droppedFlows === dropped ? true : undefined),
      20_000,
    );
    expect(dropped).toBeGreaterThan(before + 200);
    expect((await reported()).name).toBe('drops-e2e');
  });
});
