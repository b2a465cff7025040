import type { AddressInfo } from 'node:net';
import {
  type AgentHandle,
  type FlowSource,
  type InventoryDriver,
  parseScenario,
  SimulatedDriver,
  silentLogger,
} from '@meshplane/agent';
import { type FlowRecord, MAX_TELEMETRY_BATCH_RECORDS } from '@meshplane/protocol';
import {
  type ControlPlane,
  eventually,
  registerAndInstall,
  signUpTenant,
  startControlPlane,
} from '@meshplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { inProcessAgentConfig, startInProcessAgent } from '../../support/in-process-agent.js';

/**
 * Telemetry pull throughput per agent: one agent holding a backlog of flow records, the real
 * control plane pulling it — `telemetry.pull` → `telemetry.batch` over the agent's websocket,
 * queued, enriched and stored by the telemetry worker, then `telemetry.ack` — one batch in flight
 * at a time, as the hub does per agent. Figure: records acknowledged per second, from the first
 * pull to the last ack.
 *
 * Baseline: the same records pulled over a bare `ws` connection the same way (request, batch
 * frame, acknowledgement; one in flight; the same batch size), with nothing checked, queued or
 * stored: the transport's ceiling for one agent. No DESIGN §5 bar; the figure says how fast an
 * agent's backlog (after an outage) drains.
 */
const BACKLOG = 30_000;

const SCENARIO = `
cluster: pull-1
seed: 7
podCidr: 10.93.0.0/16
nodes: { count: 3 }
namespaces: [{ name: shop, labels: { env: prod } }]
workloads:
  - { name: web, namespace: shop, replicas: 10, labels: { app: web } }
  - { name: api, namespace: shop, replicas: 10, labels: { app: api } }
services:
  - { name: api, namespace: shop, selector: { app: api }, ports: [{ name: http, port: 80, targetPort: 8080 }] }
flows: { perSecond: 0 }
`;

/** The simulated cluster, with a flow source that hands the agent the whole backlog at start. */
function backlogDriver(records: Omit<FlowRecord, 'seq'>[]): InventoryDriver {
  const simulated = new SimulatedDriver(parseScenario(SCENARIO, 'pull.yaml'), silentLogger);
  const flows: FlowSource = {
    name: 'backlog',
    start: (sink) => {
      for (const record of records) sink(record);
    },
    stop: () => {},
  };
  return {
    name: 'bench',
    start: (sink) => simulated.start(sink),
    stop: () => simulated.stop(),
    clusterInfo: () => simulated.clusterInfo(),
    config: simulated.config,
    flows,
  };
}

/** The same records pulled over a bare websocket: pull, batch, ack, one in flight. */
async function barePull(records: FlowRecord[], batch: number): Promise<number> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  client.on('message', (data) => {
    const pull = JSON.parse(String(data)) as { after: number; max: number };
    const slice = records.slice(pull.after, pull.after + pull.max);
    client.send(JSON.stringify({ type: 'telemetry.batch', fromSeq: pull.after + 1, records: slice }));
  });
  const socket = await new Promise<WebSocket>((resolve) => server.once('connection', resolve));
  await new Promise((resolve) => client.once('open', resolve));
  const started = performance.now();
  let after = 0;
  await new Promise<void>((resolve) => {
    socket.on('message', (data) => {
      const received = JSON.parse(String(data)) as { records: FlowRecord[] };
      after += received.records.length;
      if (after >= records.length) resolve();
      else socket.send(JSON.stringify({ type: 'telemetry.pull', after, max: batch }));
    });
    socket.send(JSON.stringify({ type: 'telemetry.pull', after, max: batch }));
  });
  const elapsed = performance.now() - started;
  client.close();
  server.close();
  return (records.length / elapsed) * 1_000;
}

describe('telemetry pull throughput per agent', () => {
  let cp: ControlPlane;
  let agent: AgentHandle | undefined;

  beforeAll(async () => {
    cp = await startControlPlane({ TELEMETRY_IDLE_PULL_MS: '100' });
  }, 120_000);

  afterAll(async () => {
    await agent?.stop();
    await cp?.stop();
  });

  it('prints records acknowledged per second beside a bare ws pull of the same records', async () => {
    const simulated = new SimulatedDriver(parseScenario(SCENARIO, 'pull.yaml'), silentLogger);
    const now = Math.floor(Date.now() / 1_000);
    const drafts = simulated.flows.generate(BACKLOG, now);
    const records: FlowRecord[] = drafts.map((draft, index) => ({ seq: index + 1, ...draft }));

    const owner = await signUpTenant(cp.gatewayUrl, 'Pull Bench');
    const installed = await registerAndInstall(cp.gatewayUrl, owner.token, { name: 'pull-1', labels: {} });
    const config = inProcessAgentConfig(installed, {
      backoffBaseMs: 100,
      backoffCapMs: 1_000,
      welcomeTimeoutMs: 10_000,
      flowBufferRecords: BACKLOG,
    });
    agent = await startInProcessAgent(config, backlogDriver(drafts));
    const running = agent;
    // From the first acknowledgement's batch (the session is up and pulling) to the last.
    await eventually(() => (running.stats.flows.ackedSeq > 0 ? true : undefined), 60_000);
    const firstAcked = running.stats.flows.ackedSeq;
    const started = performance.now();
    await eventually(
      () => (running.stats.flows.ackedSeq >= BACKLOG ? true : undefined),
      240_000,
      'backlog drained',
      5,
    );
    const elapsed = performance.now() - started;
    expect(running.stats.flows.dropped).toBe(0);
    const figure = ((BACKLOG - firstAcked) / elapsed) * 1_000;

    const baseline = await barePull(records, MAX_TELEMETRY_BATCH_RECORDS);
    console.log(
      `telemetry pull per agent: ${Math.round(figure)} flows/s (${BACKLOG - firstAcked} flows after the first batch, ${MAX_TELEMETRY_BATCH_RECORDS} per batch, stored before each ack)`,
    );
    console.log(`bare ws pull of the same records (baseline): ${Math.round(baseline)} flows/s`);
    console.log(
      `BENCH telemetry pull per agent | figure ${Math.round(figure)} flows/s | baseline ${Math.round(baseline)} flows/s (bare ws pull, same batches, nothing stored) | ratio ${(figure / baseline).toFixed(2)} | target none (DESIGN §5 sets no bar)`,
    );
  });
});
