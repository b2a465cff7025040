import { type KubeApiServer, type KubeObject, startKubeApiServer } from '@meshplane/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AgentHandle, startAgent } from '../../agent.js';
import { MANAGED_BY_LABEL } from '../../config-apply/managed-kinds.js';
import { MemoryCredentialStore } from '../../credentials/credential-store.js';
import { silentLogger } from '../../log.js';
import { storedCredential, testConfig } from '../../spec-support/agent-fixtures.js';
import {
  diff,
  endpointSlice,
  full,
  globalSet,
  policy,
  resultsOf,
  stagedPolicy,
  tier,
} from '../../spec-support/config-fixtures.js';
import { type FakeConnection, FakeHub } from '../../spec-support/fake-hub.js';
import { KubernetesDriver } from './kubernetes-driver.js';

const CALICO = 'projectcalico.org/v3';

let server: KubeApiServer;
let hub: FakeHub;
let agent: AgentHandle | undefined;

beforeEach(async () => {
  server = await startKubeApiServer();
  server.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  hub = await FakeHub.start();
});

afterEach(async () => {
  await agent?.stop();
  agent = undefined;
  await hub.close();
  await server.close();
});

async function startWithKubernetes(): Promise<FakeConnection> {
  agent = await startAgent(testConfig(hub.url), {
    driver: new KubernetesDriver({ kubeConfig: server.kubeConfig(), logger: silentLogger, retryBaseMs: 20 }),
    credentialStore: new MemoryCredentialStore(storedCredential()),
    logger: silentLogger,
  });
  const connection = await hub.connection(0);
  await connection.snapshot();
  return connection;
}

function stored(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
  const apiVersion = kind === 'EndpointSlice' ? 'discovery.k8s.io/v1' : CALICO;
  return server.get(apiVersion, kind, namespace, name);
}

function patchRequests(): number {
  return server.requests.filter((request) => request.verb === 'patch').length;
}

describe('kubernetes apply engine', () => {
  it('server-side applies a full bundle as field manager meshplane, then reports a repeat as unchanged without writes', async () => {
    const connection = await startWithKubernetes();
    const bundle = [
      policy('allow-web'),
      tier('security'),
      globalSet('corp'),
      endpointSlice('web-global-eu', [{ ip: '10.1.0.5' }]),
    ];

    expect(connection.hello?.agent.capabilities).toContain('config.v1');
    connection.send(full(1, bundle, 'cp-1'));
    const first = await connection.waitFor('config.result', (result) => result.version === 1);

    expect(first.id).toBe('cp-1');
    expect(resultsOf(first)).toEqual({
      'Tier//security': 'applied',
      'GlobalNetworkSet//corp': 'applied',
      'EndpointSlice/shop/web-global-eu': 'applied',
      'NetworkPolicy/shop/allow-web': 'applied',
    });
    const applied = stored('NetworkPolicy', 'shop', 'allow-web');
    expect(applied?.metadata.managedFields).toEqual([
      expect.objectContaining({ manager: 'meshplane', operation: 'Apply' }),
    ]);
    expect(applied?.metadata.labels).toEqual({ [MANAGED_BY_LABEL]: 'meshplane' });
    expect(stored('EndpointSlice', 'shop', 'web-global-eu')).toMatchObject({
      endpoints: [{ addresses: ['10.1.0.5'] }],
    });

    const revisionBefore = server.resourceVersion;
    const versionsBefore = bundle.map(
      (o) => stored(o.kind, o.metadata.namespace, o.metadata.name)?.metadata.resourceVersion,
    );
    connection.send(full(2, bundle));
    const second = await connection.waitFor('config.result', (result) => result.version === 2);

    expect(new Set(second.outcomes.map((outcome) => outcome.result))).toEqual(new Set(['unchanged']));
    expect(server.resourceVersion).toBe(revisionBefore);
    expect(
      bundle.map((o) => stored(o.kind, o.metadata.namespace, o.metadata.name)?.metadata.resourceVersion),
    ).toEqual(versionsBefore);
    expect(agent?.stats).toMatchObject({ configPushesApplied: 2, lastAppliedConfigVersion: 2 });
  });

  it('prunes labelled objects dropped from the next full bundle and never touches an unlabelled look-alike', async () => {
    server.create({
      apiVersion: CALICO,
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-db-manual', namespace: 'shop' },
      spec: { selector: "app == 'db'" },
    });
    const connection = await startWithKubernetes();
    connection.send(
      full(1, [
        tier('security'),
        tier('platform'),
        policy('allow-web'),
        policy('allow-db'),
        globalSet('corp'),
      ]),
    );
    await connection.waitFor('config.result', (result) => result.version === 1);

    connection.send(full(2, [tier('security'), policy('allow-web')]));
    const result = await connection.waitFor('config.result', (r) => r.version === 2);

    expect(result.outcomes.filter((o) => o.result === 'pruned').map((o) => `${o.kind}/${o.name}`)).toEqual([
      'NetworkPolicy/allow-db',
      'GlobalNetworkSet/corp',
      'Tier/platform',
    ]);
    expect(
      server
        .list(CALICO, 'NetworkPolicy', 'shop')
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['allow-db-manual', 'allow-web']);
    expect(server.list(CALICO, 'Tier').map((o) => o.metadata.name)).toEqual(['security']);
    expect(server.list(CALICO, 'GlobalNetworkSet')).toEqual([]);
  });

  it('applies a diff on top of its base, and refuses one on another base without writing', async () => {
    const connection = await startWithKubernetes();
    connection.send(full(1, [tier('security'), policy('allow-web'), policy('allow-db')]));
    await connection.waitFor('config.result', (result) => result.version === 1);

    connection.send(diff(2, 1, [policy('allow-web', 'shop', { order: 30 })], [policy('allow-db')]));
    const result = await connection.waitFor('config.result', (r) => r.version === 2);

    expect(resultsOf(result)).toEqual({
      'NetworkPolicy/shop/allow-web': 'applied',
      'NetworkPolicy/shop/allow-db': 'pruned',
    });
    expect((stored('NetworkPolicy', 'shop', 'allow-web') as { spec?: { order?: number } }).spec?.order).toBe(
      30,
    );
    expect(stored('NetworkPolicy', 'shop', 'allow-db')).toBeUndefined();

    const patches = patchRequests();
    connection.send({ ...diff(4, 3, [policy('allow-cache')]), id: 'cp-4' });
    expect(await connection.waitFor('error')).toMatchObject({ code: 'config_base_mismatch', ref: 'cp-4' });
    expect(patchRequests()).toBe(patches);
    expect(stored('NetworkPolicy', 'shop', 'allow-cache')).toBeUndefined();
  });

  it('refuses an older or equal version with stale_config and writes nothing', async () => {
    const connection = await startWithKubernetes();
    connection.send(full(3, [tier('security')]));
    await connection.waitFor('config.result', (result) => result.version === 3);
    const patches = patchRequests();

    connection.send(full(3, [tier('again')], 'same'));
    connection.send(full(2, [tier('older')], 'older'));

    await connection.waitFor('error', (error) => error.ref === 'older');
    expect(
      connection.messages.filter((m) => m.type === 'error').map((m) => m.type === 'error' && [m.code, m.ref]),
    ).toEqual([
      ['stale_config', 'same'],
      ['stale_config', 'older'],
    ]);
    expect(patchRequests()).toBe(patches);
    expect(server.list(CALICO, 'Tier').map((o) => o.metadata.name)).toEqual(['security']);
  });

  it('reports an object the API server rejects as failed, applies the rest, and keeps the previous version in hello', async () => {
    const connection = await startWithKubernetes();
    connection.send(full(1, [tier('security')]));
    await connection.waitFor('config.result', (result) => result.version === 1);
    server.create({
      apiVersion: CALICO,
      kind: 'NetworkPolicy',
      metadata: { name: 'locked', namespace: 'shop' },
    });
    const rejected = policy('locked');
    rejected.metadata.resourceVersion = '1';

    connection.send(full(2, [tier('security'), rejected, policy('allow-web')]));
    const result = await connection.waitFor('config.result', (r) => r.version === 2);

    expect(resultsOf(result)).toEqual({
      'Tier//security': 'unchanged',
      'NetworkPolicy/shop/locked': 'failed',
      'NetworkPolicy/shop/allow-web': 'applied',
    });
    expect(result.outcomes[1]?.message).toMatch(/^409: Operation cannot be fulfilled/);
    expect(stored('NetworkPolicy', 'shop', 'allow-web')).toBeDefined();
    expect(agent?.stats.lastAppliedConfigVersion).toBe(1);

    connection.drop();
    const next = await hub.connection(1);
    expect((await next.waitFor('hello')).lastAppliedConfigVersion).toBe(1);
  });
});

describe('kubernetes apply engine on a cluster whose Calico predates staged policies', () => {
  const STAGED = ['stagednetworkpolicies.projectcalico.org', 'stagedglobalnetworkpolicies.projectcalico.org'];

  it('reports the Calico version and served kinds in hello, applies nothing of a bundle with a staged policy, and applies it after an upgrade and a reconnect', async () => {
    await server.close();
    server = await startKubeApiServer({
      withheldResources: [...STAGED, 'stagedkubernetesnetworkpolicies.projectcalico.org'],
    });
    server.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    server.create({
      apiVersion: CALICO,
      kind: 'ClusterInformation',
      metadata: { name: 'default' },
      spec: { calicoVersion: 'v3.29.4', clusterType: 'k8s,bgp,kubeadm,kdd' },
    });
    const connection = await startWithKubernetes();

    const hello = connection.hello!;
    expect(hello.cluster?.calicoVersion).toBe('v3.29.4');
    expect(hello.cluster?.calicoKinds).toContain('Tier');
    expect(hello.cluster?.calicoKinds).not.toContain('StagedNetworkPolicy');
    expect(hello.cluster?.calicoKinds).toEqual([...(hello.cluster?.calicoKinds ?? [])].sort());

    connection.send(full(1, [tier('security')]));
    await connection.waitFor('config.result', (result) => result.version === 1);
    const patches = patchRequests();
    const bundle = [tier('security'), policy('allow-web'), stagedPolicy('audit-db')];
    connection.send(full(2, bundle, 'cp-2'));
    const refused = await connection.waitFor('config.result', (result) => result.version === 2);

    expect(resultsOf(refused)).toEqual({ 'StagedNetworkPolicy/shop/audit-db': 'failed' });
    expect(refused.outcomes[0]?.message).toBe(
      "StagedNetworkPolicy (projectcalico.org/v3) is not served by this cluster's API server; it needs Calico 3.30 or later (the cluster runs Calico v3.29.4); nothing of config version 2 was applied",
    );
    expect(patchRequests()).toBe(patches);
    expect(stored('NetworkPolicy', 'shop', 'allow-web')).toBeUndefined();
    expect(agent?.stats.lastAppliedConfigVersion).toBe(1);

    // Calico is upgraded; the agent's next session reports the new kinds and gets the bundle again.
    for (const resource of STAGED) server.serveResource(resource);
    server.update({
      ...server.get(CALICO, 'ClusterInformation', undefined, 'default')!,
      spec: { calicoVersion: 'v3.30.1' },
    });
    connection.drop();
    const next = await hub.connection(1);
    const again = await next.waitFor('hello');
    expect(again.lastAppliedConfigVersion).toBe(1);
    expect(again.cluster?.calicoVersion).toBe('v3.30.1');
    expect(again.cluster?.calicoKinds).toEqual(
      expect.arrayContaining(['StagedGlobalNetworkPolicy', 'StagedNetworkPolicy']),
    );

    next.send(full(2, bundle, 'cp-2'));
    const result = await next.waitFor('config.result', (r) => r.version === 2);
    expect(resultsOf(result)).toEqual({
      'Tier//security': 'unchanged',
      'NetworkPolicy/shop/allow-web': 'applied',
      'StagedNetworkPolicy/shop/audit-db': 'applied',
    });
    expect(stored('StagedNetworkPolicy', 'shop', 'audit-db')).toBeDefined();
    expect(agent?.stats.lastAppliedConfigVersion).toBe(2);
  });
});
