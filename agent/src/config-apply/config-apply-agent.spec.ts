import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type AgentHandle, type StartAgentOptions, startAgent } from '../agent.js';
import { MemoryCredentialStore } from '../credentials/credential-store.js';
import { SimulatedDriver } from '../drivers/simulated/simulated-driver.js';
import { silentLogger } from '../log.js';
import { nextEvent, smallScenario, storedCredential, testConfig } from '../spec-support/agent-fixtures.js';
import { full, globalSet, policy, resultsOf, tier } from '../spec-support/config-fixtures.js';
import { FakeHub } from '../spec-support/fake-hub.js';
import { FileAppliedVersionStore, MemoryAppliedVersionStore } from './applied-version-store.js';

let hub: FakeHub | undefined;
let agent: AgentHandle | undefined;
let directory: string | undefined;

afterEach(async () => {
  await agent?.stop();
  await hub?.close();
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
  agent = undefined;
  hub = undefined;
  directory = undefined;
});

async function start(options: StartAgentOptions = {}) {
  hub ??= await FakeHub.start();
  const driver = new SimulatedDriver(smallScenario(), silentLogger);
  agent = await startAgent(testConfig(hub.url), {
    driver,
    credentialStore: new MemoryCredentialStore(storedCredential()),
    logger: silentLogger,
    ...options,
  });
  return { hub, agent, driver };
}

describe('config apply through the agent (simulated driver)', () => {
  it('holds the applied bundle in memory by kind, namespace and name, and prunes like Kubernetes', async () => {
    const { hub, agent, driver } = await start();
    const connection = await hub.connection(0);
    await connection.snapshot();
    const applied = nextEvent(agent.events, 'configApplied', (info) => info.version === 1);

    connection.send(full(1, [tier('security'), policy('allow-web'), globalSet('corp')]));

    expect(await applied).toEqual([
      expect.objectContaining({
        version: 1,
        mode: 'full',
        complete: true,
        counts: { applied: 3, unchanged: 0, pruned: 0, failed: 0 },
      }),
    ]);
    const view = driver.appliedConfig();
    expect(view.objects('NetworkPolicy').map((object) => object.metadata.name)).toEqual(['allow-web']);
    expect(view.get({ apiVersion: 'projectcalico.org/v3', kind: 'Tier', name: 'security' })?.spec).toEqual({
      order: 100,
    });

    connection.send(full(2, [tier('security')]));
    const result = await connection.waitFor('config.result', (r) => r.version === 2);
    expect(resultsOf(result)).toEqual({
      'Tier//security': 'unchanged',
      'NetworkPolicy/shop/allow-web': 'pruned',
      'GlobalNetworkSet//corp': 'pruned',
    });
    expect(view.size).toBe(1);
  });

  it('reports the last applied version in hello after a reconnect', async () => {
    const { hub, agent } = await start();
    const connection = await hub.connection(0);
    expect((await connection.waitFor('hello')).lastAppliedConfigVersion).toBe(0);
    await connection.snapshot();
    connection.send(full(7, [tier('security')]));
    await connection.waitFor('config.result');

    connection.drop();
    const next = await hub.connection(1);

    expect((await next.waitFor('hello')).lastAppliedConfigVersion).toBe(7);
    expect(agent.stats.lastAppliedConfigVersion).toBe(7);
  });

  it('emits configRefused for a stale push', async () => {
    const { hub, agent } = await start({ appliedVersionStore: new MemoryAppliedVersionStore(4) });
    const connection = await hub.connection(0);
    expect((await connection.waitFor('hello')).lastAppliedConfigVersion).toBe(4);
    await connection.snapshot();
    const refused = nextEvent(agent.events, 'configRefused');

    connection.send(full(3, [tier('older')]));

    expect(await refused).toEqual([expect.objectContaining({ version: 3, code: 'stale_config' })]);
    expect(await connection.waitFor('error')).toMatchObject({ code: 'stale_config', ref: 'config.push' });
  });

  it('persists the applied version to a file and reports it after an agent restart', async () => {
    directory = await mkdtemp(join(tmpdir(), 'meshplane-config-version-'));
    const path = join(directory, 'credential.config-version');
    const first = await start({ appliedVersionStore: new FileAppliedVersionStore(path) });
    const connection = await first.hub.connection(0);
    await connection.snapshot();
    connection.send(full(9, [tier('security')]));
    await connection.waitFor('config.result');
    await first.agent.stop();

    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ lastAppliedConfigVersion: 9 });
    const second = await start({ appliedVersionStore: new FileAppliedVersionStore(path) });
    const again = await second.hub.connection(1);
    expect((await again.waitFor('hello')).lastAppliedConfigVersion).toBe(9);
  });
});

describe('FileAppliedVersionStore', () => {
  it('reads 0 when no file exists and refuses a file without a valid version', async () => {
    directory = await mkdtemp(join(tmpdir(), 'meshplane-config-version-'));
    const path = join(directory, 'version');
    const store = new FileAppliedVersionStore(path);
    expect(await store.load()).toBe(0);

    await writeFile(path, '{"lastAppliedConfigVersion":-1}');
    await expect(store.load()).rejects.toThrow(/no valid lastAppliedConfigVersion/);
  });
});
