import { TELEMETRY_CAPABILITY } from '@meshplane/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { type AgentHandle, startAgent } from '../agent.js';
import { MemoryCredentialStore } from '../credentials/credential-store.js';
import type { InventoryDriver } from '../drivers/driver.js';
import { SimulatedDriver } from '../drivers/simulated/simulated-driver.js';
import { silentLogger } from '../log.js';
import { smallScenario, storedCredential, testConfig } from '../spec-support/agent-fixtures.js';
import { FakeHub } from '../spec-support/fake-hub.js';
import type { FlowDraft } from './flow-buffer.js';
import type { FlowSource } from './flow-source.js';

/** A flow source the test drives by hand. */
class ManualFlowSource implements FlowSource {
  readonly name = 'manual';
  private sink: ((flow: FlowDraft) => void) | undefined;
  start(sink: (flow: FlowDraft) => void) {
    this.sink = sink;
  }
  stop() {
    this.sink = undefined;
  }
  emit(count: number) {
    for (let i = 0; i < count; i += 1) {
      this.sink?.({
        startTime: 1_700_000_000,
        endTime: 1_700_000_010,
        source: { name: 'web', namespace: 'shop', type: 'wep', labels: {} },
        destination: { name: 'db', namespace: 'shop', type: 'wep', labels: {}, port: 5432 },
        protocol: 'tcp',
        reporter: 'src',
        action: 'allow',
        policies: [],
        bytesIn: i,
        bytesOut: 0,
        packetsIn: 1,
        packetsOut: 0,
        connectionsStarted: 1,
        connectionsCompleted: 0,
      });
    }
  }
}

let hub: FakeHub | undefined;
let agent: AgentHandle | undefined;

afterEach(async () => {
  await agent?.stop();
  await hub?.close();
  agent = undefined;
  hub = undefined;
});

async function start(welcomeCursor?: number) {
  hub = await FakeHub.start(
    welcomeCursor === undefined ? {} : { welcome: { telemetryCursor: welcomeCursor } },
  );
  const source = new ManualFlowSource();
  const simulated = new SimulatedDriver(smallScenario(), silentLogger);
  const driver: InventoryDriver = {
    name: 'simulated',
    start: (sink) => simulated.start(sink),
    stop: () => simulated.stop(),
    clusterInfo: () => simulated.clusterInfo(),
    config: simulated.config,
    flows: source,
  };
  agent = await startAgent(testConfig(hub.url), {
    driver,
    credentialStore: new MemoryCredentialStore(storedCredential()),
    logger: silentLogger,
  });
  return { hub, agent, source };
}

describe('telemetry through the agent', () => {
  it('announces the telemetry capability, answers pulls from its buffer and frees acknowledged records', async () => {
    const { hub, agent, source } = await start();
    const connection = await hub.connection(0);
    const hello = await connection.waitFor('hello');
    expect(hello.agent.capabilities).toContain(TELEMETRY_CAPABILITY);
    expect(hello.telemetryCursor).toBe(0);
    await connection.snapshot();
    source.emit(5);

    connection.send({ type: 'telemetry.pull', after: 0, max: 3 });
    const first = await connection.waitFor('telemetry.batch');
    expect(first.records.map((r) => r.seq)).toEqual([1, 2, 3]);
    connection.send({ type: 'telemetry.ack', upToSeq: 3 });
    connection.send({ type: 'telemetry.pull', after: 3, max: 10 });
    const second = await connection.waitFor('telemetry.batch', (b) => b.fromSeq === 4);
    expect(second.records.map((r) => r.seq)).toEqual([4, 5]);
    expect(agent.stats.flows).toMatchObject({ recorded: 5, ackedSeq: 3, buffered: 2 });
  });

  it('resends unacknowledged records after a reconnect and reports its acknowledged cursor in hello', async () => {
    const { hub, source } = await start();
    const connection = await hub.connection(0);
    await connection.snapshot();
    source.emit(4);
    connection.send({ type: 'telemetry.pull', after: 0, max: 2 });
    await connection.waitFor('telemetry.batch');
    connection.send({ type: 'telemetry.ack', upToSeq: 2 });
    connection.send({ type: 'telemetry.pull', after: 2, max: 10 });
    await connection.waitFor('telemetry.batch', (b) => b.fromSeq === 3);
    connection.drop(); // the batch 3..4 was never acknowledged

    const again = await hub.connection(1);
    expect((await again.waitFor('hello')).telemetryCursor).toBe(2);
    again.send({ type: 'telemetry.pull', after: 2, max: 10 });
    const resent = await again.waitFor('telemetry.batch');
    expect(resent.records.map((r) => r.seq)).toEqual([3, 4]);
  });

  it('numbers above the hub cursor when the hub holds more than it remembers (a restarted agent)', async () => {
    const { hub, source } = await start(1_000);
    const connection = await hub.connection(0);
    source.emit(2);
    await connection.snapshot();
    source.emit(1);
    connection.send({ type: 'telemetry.pull', after: 1_000, max: 10 });
    const batch = await connection.waitFor('telemetry.batch');
    expect(batch.records.map((r) => r.seq)).toEqual([1_001, 1_002, 1_003]);
  });
});
