import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KubeApiServer, startKubeApiServer } from '@meshplane/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AgentHandle, startAgent } from '../agent.js';
import { SimulatedDriver } from '../drivers/simulated/simulated-driver.js';
import { silentLogger } from '../log.js';
import { nextEvent, smallScenario, storedCredential, testConfig } from '../spec-support/agent-fixtures.js';
import { FakeCredentialApi } from '../spec-support/fake-credential-api.js';
import { FakeHub } from '../spec-support/fake-hub.js';
import { CredentialClient } from './credential-client.js';
import { CredentialManager } from './credential-manager.js';
import { MemoryCredentialStore, type StoredCredential } from './credential-store.js';
import { FileCredentialStore } from './file-credential-store.js';
import { CREDENTIAL_SECRET_KEY, SecretCredentialStore } from './secret-credential-store.js';

let directory: string;
let hub: FakeHub;
let api: FakeCredentialApi | undefined;
const agents: AgentHandle[] = [];

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'meshplane-agent-'));
  hub = await FakeHub.start();
});

afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.stop();
  await hub.close();
  await api?.close();
  api = undefined;
  await rm(directory, { recursive: true, force: true });
});

async function startWithFileStore(options: { bootstrapToken?: string; rotateAfterFraction?: number } = {}) {
  const config = testConfig(hub.url, {
    apiUrl: api!.url,
    credentialStore: { kind: 'file', path: join(directory, 'credential') },
  });
  if (options.bootstrapToken !== undefined) config.bootstrapToken = options.bootstrapToken;
  const agent = await startAgent(config, {
    driver: new SimulatedDriver(smallScenario(), silentLogger),
    logger: silentLogger,
    ...(options.rotateAfterFraction === undefined
      ? {}
      : { rotateAfterFraction: options.rotateAfterFraction }),
  });
  agents.push(agent);
  return agent;
}

describe('bootstrap exchange', () => {
  it('exchanges the bootstrap token once, then reuses the stored credential on the next start', async () => {
    api = await FakeCredentialApi.start();
    const first = await startWithFileStore({ bootstrapToken: 'bootstrap-1' });
    const firstHello = await (await hub.connection(0)).waitFor('hello');
    await first.stop();

    await startWithFileStore({ bootstrapToken: 'bootstrap-1' });
    const secondHello = await (await hub.connection(1)).waitFor('hello');

    expect(api.callsTo('/agent/v1/exchange')).toEqual([
      { path: '/agent/v1/exchange', body: { bootstrapToken: 'bootstrap-1' }, authorization: undefined },
    ]);
    expect(firstHello.credential).toBe('cred-1');
    expect(secondHello.credential).toBe('cred-1');
  });

  it('stores the credential with the cluster id and expiry, readable only by the agent', async () => {
    api = await FakeCredentialApi.start();
    const agent = await startWithFileStore({ bootstrapToken: 'bootstrap-1' });
    await nextEvent(agent.events, 'credentialObtained');

    const path = join(directory, 'credential');
    const stored = JSON.parse(await readFile(path, 'utf8'));
    expect(stored).toMatchObject({ clusterId: 'c-test', credential: 'cred-1' });
    expect(Date.parse(stored.expiresAt)).toBeGreaterThan(Date.now());
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(directory)).toEqual(['credential']);
  });

  it('fails clearly, without reconnecting, when the token was already used (410)', async () => {
    api = await FakeCredentialApi.start({ tokens: [] });
    const agent = await startWithFileStore({ bootstrapToken: 'bootstrap-1' });

    const exit = await agent.done;

    expect(exit.kind).toBe('failed');
    expect(exit.kind === 'failed' && exit.error.message).toContain('410 (token_used_or_expired');
    expect(hub.connections).toHaveLength(0);
  });

  it('retries the exchange while the API is unavailable', async () => {
    api = await FakeCredentialApi.start({ failures: [{ status: 503, code: 'unavailable' }] });
    await startWithFileStore({ bootstrapToken: 'bootstrap-1' });

    expect((await (await hub.connection(0)).waitFor('hello')).credential).toBe('cred-1');
    expect(api.callsTo('/agent/v1/exchange')).toHaveLength(2);
  });

  it('fails naming the variable when nothing is stored and no bootstrap token is set', async () => {
    api = await FakeCredentialApi.start();
    const agent = await startWithFileStore();
    const exit = await agent.done;
    expect(exit.kind === 'failed' && exit.error.message).toContain('MESHPLANE_BOOTSTRAP_TOKEN is not set');
  });
});

describe('rotation', () => {
  it('rotates after most of the lifetime has passed, stores the new credential and uses it on reconnect', async () => {
    api = await FakeCredentialApi.start({ lifetimeMs: 400 });
    const agent = await startWithFileStore({ bootstrapToken: 'bootstrap-1', rotateAfterFraction: 0.5 });
    const first = await hub.connection(0);
    expect((await first.waitFor('hello')).credential).toBe('cred-1');

    const [rotated] = await nextEvent(agent.events, 'credentialRotated');

    expect(api.callsTo('/agent/v1/rotate')[0]?.authorization).toBe('Bearer cred-1');
    expect(JSON.parse(await readFile(join(directory, 'credential'), 'utf8')).credential).toBe('cred-2');
    expect(Date.parse(rotated.expiresAt)).toBeGreaterThan(Date.now());
    first.drop();
    expect((await (await hub.connection(1)).waitFor('hello')).credential).toBe('cred-2');
  });

  it('rotates at once a stored credential past its rotation point', async () => {
    api = await FakeCredentialApi.start({ acceptCredentials: ['cred-stored'] });
    const store = new MemoryCredentialStore(
      storedCredential({
        issuedAt: new Date(Date.now() - 90_000).toISOString(),
        expiresAt: new Date(Date.now() + 10_000).toISOString(),
      }),
    );
    let onRotated: (credential: StoredCredential) => void = () => {};
    const rotated = new Promise<StoredCredential>((resolve) => {
      onRotated = resolve;
    });
    const manager = new CredentialManager({
      store,
      client: new CredentialClient({ apiUrl: api.url }),
      logger: silentLogger,
      onRotated: (credential) => onRotated(credential),
    });
    await manager.obtain();
    manager.scheduleRotation();

    expect((await rotated).credential).toBe('cred-1');
    manager.stop();
    expect(manager.current().credential).toBe('cred-1');
    expect((await store.load())?.credential).toBe('cred-1');
    expect(api.callsTo('/agent/v1/exchange')).toEqual([]);
  });
});

describe('file store', () => {
  it('loads nothing when no file exists', async () => {
    expect(await new FileCredentialStore(join(directory, 'absent')).load()).toBeUndefined();
  });

  it('refuses a corrupt file without echoing its content', async () => {
    const path = join(directory, 'credential');
    await writeFile(path, '{"credential":"super-secret"}');
    const failure = new FileCredentialStore(path).load();
    await expect(failure).rejects.toThrow(/is not a stored credential/);
    await expect(failure).rejects.not.toThrow(/super-secret/);
  });

  it('replaces the stored credential on save', async () => {
    const store = new FileCredentialStore(join(directory, 'nested', 'credential'));
    await store.save(storedCredential({ credential: 'one' }));
    await store.save(storedCredential({ credential: 'two' }));
    expect((await store.load())?.credential).toBe('two');
    expect(await readdir(join(directory, 'nested'))).toEqual(['credential']);
  });
});

describe('Kubernetes Secret store', () => {
  let server: KubeApiServer;

  beforeEach(async () => {
    server = await startKubeApiServer();
  });

  afterEach(async () => {
    await server.close();
  });

  it('writes the credential into the Secret with server-side apply and reads it back', async () => {
    const store = new SecretCredentialStore(
      server.kubeConfig(),
      'meshplane-system',
      'meshplane-agent-credential',
    );
    expect(await store.load()).toBeUndefined();

    await store.save(storedCredential({ credential: 'one' }));
    await store.save(storedCredential({ credential: 'two' }));

    expect((await store.load())?.credential).toBe('two');
    const secret = server.get('v1', 'Secret', 'meshplane-system', 'meshplane-agent-credential');
    const data = (secret as { data?: Record<string, string> }).data ?? {};
    expect(JSON.parse(Buffer.from(data[CREDENTIAL_SECRET_KEY]!, 'base64').toString()).credential).toBe('two');
    expect(server.requestCount({ verb: 'patch', resource: 'secrets' })).toBe(2);
  });
});
