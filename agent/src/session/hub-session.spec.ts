import { backoffDelay, CLOSE_CODES, inventoryKey, SUPPORTED_PROTOCOL_VERSIONS } from '@meshplane/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { type AgentHandle, type StartAgentOptions, startAgent } from '../agent.js';
import type { AgentConfig } from '../config.js';
import { MemoryCredentialStore } from '../credentials/credential-store.js';
import type { InventoryDriver } from '../drivers/driver.js';
import { SimulatedDriver } from '../drivers/simulated/simulated-driver.js';
import { silentLogger } from '../log.js';
import { nextEvent, smallScenario, storedCredential, testConfig } from '../spec-support/agent-fixtures.js';
import { FakeHub, type FakeHubOptions } from '../spec-support/fake-hub.js';
import { AGENT_VERSION } from '../version.js';

let hub: FakeHub | undefined;
let agent: AgentHandle | undefined;

afterEach(async () => {
  await agent?.stop();
  await hub?.close();
  agent = undefined;
  hub = undefined;
});

async function start(
  hubOptions: FakeHubOptions = {},
  config: Partial<AgentConfig> = {},
  options: StartAgentOptions = {},
) {
  hub = await FakeHub.start(hubOptions);
  const driver = new SimulatedDriver(smallScenario(), silentLogger);
  agent = await startAgent(testConfig(hub.url, config), {
    driver,
    credentialStore: new MemoryCredentialStore(storedCredential()),
    logger: silentLogger,
    ...options,
  });
  return { hub, agent, driver };
}

describe('hello and welcome', () => {
  it('sends hello with the stored credential, protocols, version, capabilities and cluster facts', async () => {
    const { hub } = await start();
    const connection = await hub.connection(0);
    const hello = await connection.waitFor('hello');

    expect(hello).toEqual({
      type: 'hello',
      protocols: [...SUPPORTED_PROTOCOL_VERSIONS],
      credential: 'cred-stored',
      agent: { version: AGENT_VERSION, capabilities: ['inventory.v1', 'config.v1', 'telemetry.v1'] },
      cluster: {
        kubernetesVersion: 'v1.31.0',
        nodeCount: 2,
        // The simulated cluster runs Calico v3.30.2 unless its scenario says otherwise.
        calicoVersion: 'v3.30.2',
        calicoKinds: expect.arrayContaining(['StagedNetworkPolicy', 'Tier']),
      },
      lastAppliedConfigVersion: 0,
      telemetryCursor: 0,
    });
  });

  it('sends nothing but hello before the welcome arrives', async () => {
    const { hub, agent } = await start({ autoWelcome: false });
    const connection = await hub.connection(0);
    await connection.waitFor('hello');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(connection.messages.map((message) => message.type)).toEqual(['hello']);

    connection.send({
      type: 'welcome',
      protocol: 1,
      clusterId: 'c-1',
      tenantId: 't-1',
      sessionId: 's-1',
      heartbeatIntervalMs: 5_000,
      maxFrameBytes: 1_000_000,
      desiredConfigVersion: 0,
    });
    await connection.snapshot();
    expect(agent.welcome?.clusterId).toBe('c-1');
  });

  it('counts a second welcome as unexpected and carries on', async () => {
    const { hub, agent } = await start();
    const connection = await hub.connection(0);
    await connection.snapshot();
    connection.send({
      type: 'welcome',
      protocol: 1,
      clusterId: 'c-2',
      tenantId: 't-2',
      sessionId: 's-2',
      heartbeatIntervalMs: 5_000,
      maxFrameBytes: 1_000_000,
      desiredConfigVersion: 0,
    });
    connection.send({ type: 'ping', nonce: 'after', sentAt: 1 });
    await connection.waitFor('pong', (pong) => pong.nonce === 'after');
    expect(agent.stats.unexpectedFrames).toBe(1);
    expect(agent.welcome?.clusterId).toBe('c-test');
  });
});

describe('heartbeats', () => {
  it('answers the hub ping with a pong carrying the same nonce and sentAt', async () => {
    const { hub } = await start();
    const connection = await hub.connection(0);
    await connection.waitFor('hello');
    connection.send({ type: 'ping', nonce: 'n-42', sentAt: 1_234 });

    expect(await connection.waitFor('pong')).toEqual({ type: 'pong', nonce: 'n-42', sentAt: 1_234 });
  });

  it('pings the hub every heartbeat interval announced in welcome', async () => {
    // 250 ms: three intervals without a pong (a dead hub) must not be a loaded machine's pause.
    const { hub, agent } = await start({ welcome: { heartbeatIntervalMs: 250 } });
    const connection = await hub.connection(0);
    const first = await connection.waitFor('ping');
    const second = await connection.waitFor('ping', (ping) => ping.nonce !== first.nonce);

    expect(second.sentAt).toBeGreaterThanOrEqual(first.sentAt);
    await connection.waitFor('ping', (ping) => ping.nonce !== first.nonce && ping.nonce !== second.nonce);
    expect(agent.stats.pongsReceived).toBeGreaterThanOrEqual(1);
  });

  it('declares a silent hub dead after three intervals and reconnects', async () => {
    const { hub, agent } = await start({ welcome: { heartbeatIntervalMs: 30 }, answerPings: false });
    const first = await hub.connection(0);
    await first.snapshot();
    const disconnected = nextEvent(agent.events, 'disconnected');

    const [info] = await disconnected;
    expect(info).toMatchObject({
      code: CLOSE_CODES.heartbeat_timeout,
      reason: 'heartbeat_timeout',
      willReconnect: true,
    });
    const second = await hub.connection(1);
    await second.waitFor('hello');
    expect(agent.stats.heartbeatTimeouts).toBe(1);
  });

  it('gives up on a hub that never welcomes and tries again', async () => {
    const { hub } = await start({ autoWelcome: false }, { welcomeTimeoutMs: 50 });
    const first = await hub.connection(0);
    await first.waitFor('hello');
    await first.closed;
    const second = await hub.connection(1);
    expect((await second.waitFor('hello')).credential).toBe('cred-stored');
  });
});

describe('reconnecting', () => {
  it('reconnects after a dropped socket and sends a fresh full snapshot, then deltas from seq 1', async () => {
    const { hub, agent, driver } = await start();
    const first = await hub.connection(0);
    const before = await first.snapshot();
    driver.churn(agent.inventory);
    await first.waitFor('inventory.delta');

    first.drop();
    const second = await hub.connection(1);
    const after = await second.snapshot();

    expect(after.snapshotId).not.toBe(before.snapshotId);
    expect(after.objects.map(inventoryKey).sort()).toEqual(agent.inventory.list().map(inventoryKey).sort());
    driver.churn(agent.inventory);
    expect((await second.waitFor('inventory.delta')).seq).toBe(1);
  });

  it('waits a full-jitter backoff that grows per failed attempt up to the cap', async () => {
    const random = () => 0.5;
    const { hub, agent } = await start(
      { autoWelcome: false },
      { backoffBaseMs: 8, backoffCapMs: 40 },
      { random },
    );
    const delays: number[] = [];
    agent.events.on('disconnected', (info) => delays.push(info.delayMs ?? -1));

    for (let index = 0; index < 5; index += 1) {
      const connection = await hub.connection(index);
      await connection.waitFor('hello');
      connection.close(CLOSE_CODES.internal_error);
    }
    await hub.connection(5);

    const expected = [0, 1, 2, 3, 4].map((attempt) =>
      backoffDelay(attempt, { baseMs: 8, capMs: 40, random }),
    );
    expect(delays).toEqual(expected);
    expect(expected).toEqual([4, 8, 16, 20, 20]);
  });

  it('starts the backoff over after a session that lasted long enough', async () => {
    const random = () => 0.5;
    const { hub, agent } = await start(
      {},
      { backoffBaseMs: 8, backoffCapMs: 40, stableSessionMs: 30 },
      { random },
    );
    const delays: number[] = [];
    agent.events.on('disconnected', (info) => delays.push(info.delayMs ?? -1));

    const first = await hub.connection(0);
    await first.snapshot();
    first.close(CLOSE_CODES.internal_error);
    const second = await hub.connection(1);
    await second.snapshot();
    await new Promise((resolve) => setTimeout(resolve, 40));
    second.close(CLOSE_CODES.internal_error);
    await hub.connection(2);

    expect(delays).toEqual([4, 4]);
  });

  it('does not reconnect after the hub closes with 4403 revoked, and ends terminated', async () => {
    const { hub, agent } = await start();
    const connection = await hub.connection(0);
    await connection.snapshot();
    connection.send({ type: 'goodbye', reason: 'revoked', message: 'cluster credential revoked' });
    const goodbye = nextEvent(agent.events, 'goodbye');
    connection.close(CLOSE_CODES.revoked, 'revoked');

    expect(await agent.done).toEqual({ kind: 'terminated', code: 4403, reason: 'revoked' });
    expect((await goodbye)[0].reason).toBe('revoked');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(hub.connections).toHaveLength(1);
  });

  it.each([
    [CLOSE_CODES.deleted, 'deleted'],
    [CLOSE_CODES.unsupported_protocol, 'unsupported_protocol'],
  ])('does not reconnect after close code %i', async (code, reason) => {
    const { hub, agent } = await start();
    const connection = await hub.connection(0);
    await connection.waitFor('hello');
    connection.close(code);

    expect(await agent.done).toEqual({ kind: 'terminated', code, reason });
    expect(hub.connections).toHaveLength(1);
  });

  it('rereads the credential store after the hub refuses the credential (4401) and retries', async () => {
    const store = new MemoryCredentialStore(storedCredential({ credential: 'cred-old' }));
    const { hub } = await start({}, {}, { credentialStore: store });
    const first = await hub.connection(0);
    await first.waitFor('hello');
    await store.save(storedCredential({ credential: 'cred-new' }));
    first.close(CLOSE_CODES.unauthenticated);

    const second = await hub.connection(1);
    expect((await second.waitFor('hello')).credential).toBe('cred-new');
  });

  it('says goodbye with shutdown and closes 1001 when stopped', async () => {
    const { hub, agent } = await start();
    const connection = await hub.connection(0);
    await connection.snapshot();

    await agent.stop();

    expect(await connection.closed).toEqual({ code: CLOSE_CODES.going_away });
    expect(connection.messages.at(-1)).toEqual({ type: 'goodbye', reason: 'shutdown' });
    expect(await agent.done).toEqual({ kind: 'stopped' });
  });
});

describe('frames from the hub', () => {
  it('counts malformed, unknown and invalid frames, answers each with an error, and keeps the session', async () => {
    const { hub, agent } = await start();
    const connection = await hub.connection(0);
    await connection.snapshot();

    connection.sendRaw('this is not json');
    connection.sendRaw(JSON.stringify({ type: 'surprise', id: 'x-1' }));
    connection.sendRaw(JSON.stringify({ type: 'ping', id: 'p-bad' }));
    connection.sendRaw(JSON.stringify({ type: 'hello', id: 'h-1' }));
    connection.send({ type: 'ping', nonce: 'still-alive', sentAt: 1 });

    await connection.waitFor('pong', (pong) => pong.nonce === 'still-alive');
    const errors = connection.messages.filter((message) => message.type === 'error');
    expect(errors.map((error) => [error.code, error.ref])).toEqual([
      ['malformed_json', undefined],
      ['unknown_type', 'x-1'],
      ['invalid_message', 'p-bad'],
      ['wrong_direction', 'h-1'],
    ]);
    expect(agent.stats.malformedFrames).toBe(4);
    expect(hub.connections).toHaveLength(1);
  });

  it('does not answer a malformed error frame with an error', async () => {
    const { hub, agent } = await start();
    const connection = await hub.connection(0);
    await connection.snapshot();

    connection.sendRaw(JSON.stringify({ type: 'error', code: 'no-such-code' }));
    connection.send({ type: 'ping', nonce: 'after', sentAt: 1 });

    await connection.waitFor('pong', (pong) => pong.nonce === 'after');
    expect(agent.stats.malformedFrames).toBe(1);
    expect(connection.messages.some((message) => message.type === 'error')).toBe(false);
  });

  it('answers inventory_gap with a fresh snapshot and keeps numbering deltas', async () => {
    const { hub, agent, driver } = await start();
    const connection = await hub.connection(0);
    const first = await connection.snapshot();
    driver.churn(agent.inventory);
    const delta = await connection.waitFor('inventory.delta');

    const mark = connection.messages.length;
    connection.send({ type: 'error', code: 'inventory_gap', message: 'expected seq 1' });
    const second = await connection.snapshot(mark);
    driver.churn(agent.inventory);
    const next = await connection.waitFor('inventory.delta', () => true, mark);

    expect(second.snapshotId).not.toBe(first.snapshotId);
    expect(second.objects).toHaveLength(agent.inventory.size);
    expect(next.seq).toBe(delta.seq + 1);
  });

  it('answers a telemetry pull with an empty batch, and a config push with an error when the driver cannot apply config', async () => {
    const simulated = new SimulatedDriver(smallScenario(), silentLogger);
    const inventoryOnly: InventoryDriver = {
      name: 'inventory-only',
      start: (sink) => simulated.start(sink),
      stop: () => simulated.stop(),
      clusterInfo: () => simulated.clusterInfo(),
    };
    const { hub } = await start({}, {}, { driver: inventoryOnly });
    const connection = await hub.connection(0);
    await connection.snapshot();

    connection.send({ type: 'telemetry.pull', after: 7, max: 100 });
    connection.send({ type: 'config.push', id: 'cp-1', version: 1, mode: 'full', objects: [] });

    expect(await connection.waitFor('telemetry.batch')).toEqual({
      type: 'telemetry.batch',
      fromSeq: 8,
      toSeq: 7,
      records: [],
      dropped: 0,
    });
    expect(await connection.waitFor('error')).toMatchObject({ code: 'unexpected_message', ref: 'cp-1' });
    expect(connection.hello?.agent.capabilities).toEqual(['inventory.v1']);
  });
});
