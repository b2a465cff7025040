import { afterEach, describe, expect, it } from 'vitest';
import { type AgentHandle, startAgent } from './agent.js';
import { MemoryCredentialStore } from './credentials/credential-store.js';
import { SimulatedDriver } from './drivers/simulated/simulated-driver.js';
import { silentLogger } from './log.js';
import { nextEvent, smallScenario, storedCredential, testConfig } from './spec-support/agent-fixtures.js';
import { FakeHub } from './spec-support/fake-hub.js';

let hub: FakeHub | undefined;
let agent: AgentHandle | undefined;

afterEach(async () => {
  await agent?.stop();
  await hub?.close();
});

describe('health endpoints', () => {
  it('is live at once, ready only while a welcomed session is open', async () => {
    hub = await FakeHub.start({ autoWelcome: false });
    agent = await startAgent(testConfig(hub.url, { health: { host: '127.0.0.1', port: 0 } }), {
      driver: new SimulatedDriver(smallScenario(), silentLogger),
      credentialStore: new MemoryCredentialStore(storedCredential()),
      logger: silentLogger,
    });
    const url = agent.healthUrl!;
    const connection = await hub.connection(0);
    await connection.waitFor('hello');

    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(503);

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
    await nextEvent(agent.events, 'welcome');
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', clusterId: 'c-1', connected: true });

    connection.drop();
    await nextEvent(agent.events, 'disconnected');
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    expect((await fetch(`${url}/nope`)).status).toBe(404);
  });
});
