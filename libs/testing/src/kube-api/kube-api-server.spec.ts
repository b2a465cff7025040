import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CoreV1Api, DiscoveryV1Api, KubernetesObjectApi, VersionApi } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type KubeApiServer, startKubeApiServer } from './kube-api-server.js';
import { apiFailure, pod } from './spec-support.js';

const execFileAsync = promisify(execFile);

let server: KubeApiServer;

beforeEach(async () => {
  server = await startKubeApiServer({ gitVersion: 'v1.31.0' });
});

afterEach(async () => {
  await server.close();
});

describe('discovery', () => {
  it('answers VersionApi.getCode with the configured version', async () => {
    const version = await server.kubeConfig().makeApiClient(VersionApi).getCode();
    expect(version).toMatchObject({ gitVersion: 'v1.31.0', major: '1', minor: '31' });
  });

  it('lets KubernetesObjectApi resolve Calico, MCS and core kinds through /api and /apis discovery', async () => {
    server.create({
      apiVersion: 'projectcalico.org/v3',
      kind: 'GlobalNetworkPolicy',
      metadata: { name: 'default.deny' },
      spec: { order: 100, selector: 'all()' },
    });
    server.create({
      apiVersion: 'multicluster.x-k8s.io/v1alpha1',
      kind: 'ServiceExport',
      metadata: { name: 'web', namespace: 'shop' },
    });
    server.create(pod('p1'));
    const client = KubernetesObjectApi.makeApiClient(server.kubeConfig());

    const gnp = await client.read({
      apiVersion: 'projectcalico.org/v3',
      kind: 'GlobalNetworkPolicy',
      metadata: { name: 'default.deny' },
    });
    const exports = await client.list('multicluster.x-k8s.io/v1alpha1', 'ServiceExport', 'shop');
    const pods = await client.list('v1', 'Pod', 'default');

    expect(gnp.metadata?.name).toBe('default.deny');
    expect((gnp as unknown as { spec: unknown }).spec).toEqual({ order: 100, selector: 'all()' });
    expect(exports.items.map((i) => i.metadata?.name)).toEqual(['web']);
    expect(pods.items.map((i) => i.metadata?.name)).toEqual(['p1']);
    expect(server.requestCount({ verb: 'discovery' })).toBeGreaterThanOrEqual(3);
  });

  it('serves /apis with every group and /apis/{group}/{version} as an APIResourceList', async () => {
    const headers = { Authorization: `Bearer ${server.token}` };
    const groups = (await (await fetch(`${server.url}/apis`, { headers })).json()) as {
      kind: string;
      groups: { name: string }[];
    };
    const resources = (await (
      await fetch(`${server.url}/apis/projectcalico.org/v3`, { headers })
    ).json()) as {
      resources: unknown[];
    };

    expect(groups.kind).toBe('APIGroupList');
    expect(groups.groups.map((g) => g.name)).toEqual(
      expect.arrayContaining(['discovery.k8s.io', 'multicluster.x-k8s.io', 'projectcalico.org']),
    );
    expect(resources).toMatchObject({ kind: 'APIResourceList', groupVersion: 'projectcalico.org/v3' });
    expect(resources.resources).toContainEqual(
      expect.objectContaining({
        name: 'networkpolicies',
        kind: 'NetworkPolicy',
        namespaced: true,
        verbs: expect.arrayContaining(['watch', 'patch']),
      }),
    );
    expect(resources.resources).toContainEqual(
      expect.objectContaining({ name: 'tiers', kind: 'Tier', namespaced: false }),
    );
  });

  it('withholds resource types (absent from discovery, 404) until serveResource, as the real kubectl sees', async () => {
    const older = await startKubeApiServer({
      anonymous: true,
      withheldResources: [
        'stagednetworkpolicies.projectcalico.org',
        'stagedglobalnetworkpolicies.projectcalico.org',
      ],
    });
    const directory = await mkdtemp(join(tmpdir(), 'kube-api-kubectl-'));
    try {
      const kubeconfig = join(directory, 'kubeconfig');
      await writeFile(
        kubeconfig,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 'test', cluster: { server: older.url } }],
          users: [{ name: 'test', user: {} }],
          contexts: [{ name: 'test', context: { cluster: 'test', user: 'test' } }],
          'current-context': 'test',
        }),
      );
      const calicoKinds = async () => {
        const { stdout } = await execFileAsync('kubectl', [
          `--kubeconfig=${kubeconfig}`,
          `--cache-dir=${join(directory, 'cache')}`,
          'api-resources',
          '--api-group=projectcalico.org',
          '--no-headers',
          '-o',
          'name',
        ]);
        return stdout.trim().split('\n').sort();
      };
      const served = await calicoKinds();
      expect(served).toContain('tiers.projectcalico.org');
      expect(served).toContain('clusterinformations.projectcalico.org');
      expect(served).not.toContain('stagednetworkpolicies.projectcalico.org');
      expect(served).not.toContain('stagedglobalnetworkpolicies.projectcalico.org');
      const collection = await fetch(`${older.url}/apis/projectcalico.org/v3/stagednetworkpolicies`, {
        headers: { Authorization: `Bearer ${older.token}` },
      });
      expect(collection.status).toBe(404);

      older.serveResource('stagednetworkpolicies.projectcalico.org');
      await rm(join(directory, 'cache'), { recursive: true, force: true });
      const upgraded = await calicoKinds();
      expect(upgraded).toContain('stagednetworkpolicies.projectcalico.org');
      expect(upgraded).not.toContain('stagedglobalnetworkpolicies.projectcalico.org');
    } finally {
      await older.close();
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('refuses to withhold a resource type it does not know', async () => {
    await expect(startKubeApiServer({ withheldResources: ['widgets.example.com'] })).rejects.toThrow(
      'cannot withhold unknown resources: widgets.example.com',
    );
  });

  it('answers an unknown path with a 404 Status', async () => {
    const response = await fetch(`${server.url}/apis/example.com/v1/widgets`, {
      headers: { Authorization: `Bearer ${server.token}` },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'NotFound',
      code: 404,
    });
  });
});

describe('authentication', () => {
  it('rejects a wrong bearer token with 401', async () => {
    const api = server.kubeConfig({ token: 'wrong' }).makeApiClient(CoreV1Api);
    const failure = await apiFailure(api.listNamespacedPod({ namespace: 'default' }));
    expect(failure.code).toBe(401);
  });

  it('answers a request without a token with a 401 Unauthorized Status', async () => {
    const response = await fetch(`${server.url}/api/v1/pods`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
  });
});

describe('list', () => {
  it('lists one namespace with CoreV1Api.listNamespacedPod, with the global resourceVersion', async () => {
    server.create(pod('a', 'default'));
    server.create(pod('b', 'other'));
    server.create(pod('c', 'default'));

    const list = await server
      .kubeConfig()
      .makeApiClient(CoreV1Api)
      .listNamespacedPod({ namespace: 'default' });

    expect(list.items.map((p) => p.metadata?.name)).toEqual(['a', 'c']);
    expect(list.metadata?.resourceVersion).toBe(server.resourceVersion);
    expect(server.requestCount({ verb: 'list', resource: 'pods', namespace: 'default' })).toBe(1);
  });

  it.each([
    ['app=web', ['web-1', 'web-2']],
    ['app==web,tier=front', ['web-1']],
    ['app!=web', ['db', 'loose']],
    ['tier in (front,back)', ['db', 'web-1']],
    ['tier notin (front)', ['db', 'loose', 'web-2']],
    ['tier', ['db', 'web-1']],
    ['!tier', ['loose', 'web-2']],
  ])('listPodForAllNamespaces filters by labelSelector %s', async (labelSelector, expected) => {
    server.create(pod('web-1', 'a', { app: 'web', tier: 'front' }));
    server.create(pod('web-2', 'b', { app: 'web' }));
    server.create(pod('db', 'a', { app: 'db', tier: 'back' }));
    server.create(pod('loose', 'c'));

    const list = await server
      .kubeConfig()
      .makeApiClient(CoreV1Api)
      .listPodForAllNamespaces({ labelSelector });

    expect(list.items.map((p) => p.metadata?.name).sort()).toEqual(expected);
  });

  it('filters by metadata.name and metadata.namespace field selectors and rejects unsupported fields', async () => {
    server.create(pod('a', 'x'));
    server.create(pod('b', 'x'));
    server.create(pod('a', 'y'));
    const api = server.kubeConfig().makeApiClient(CoreV1Api);

    const byName = await api.listPodForAllNamespaces({ fieldSelector: 'metadata.name=a' });
    const notX = await api.listPodForAllNamespaces({ fieldSelector: 'metadata.namespace!=x' });
    const failure = await apiFailure(api.listPodForAllNamespaces({ fieldSelector: 'spec.unknown=1' }));

    expect(byName.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`)).toEqual(['x/a', 'y/a']);
    expect(notX.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`)).toEqual(['y/a']);
    expect(failure.code).toBe(400);
    expect(failure.status.reason).toBe('BadRequest');
  });

  it('rejects a malformed label selector with 400', async () => {
    const api = server.kubeConfig().makeApiClient(CoreV1Api);
    const failure = await apiFailure(api.listPodForAllNamespaces({ labelSelector: 'app in web' }));
    expect(failure).toMatchObject({ code: 400, status: { kind: 'Status', reason: 'BadRequest' } });
  });

  it('pages with limit/continue over a consistent snapshot', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) server.create(pod(name));
    const api = server.kubeConfig().makeApiClient(CoreV1Api);

    const first = await api.listNamespacedPod({ namespace: 'default', limit: 2 });
    server.create(pod('f'));
    server.delete('v1', 'Pod', 'default', 'a');
    const second = await api.listNamespacedPod({
      namespace: 'default',
      limit: 2,
      _continue: first.metadata?._continue,
    });
    const third = await api.listNamespacedPod({
      namespace: 'default',
      limit: 2,
      _continue: second.metadata?._continue,
    });

    expect(first.items.map((p) => p.metadata?.name)).toEqual(['a', 'b']);
    expect(first.metadata?.remainingItemCount).toBe(3);
    expect(second.items.map((p) => p.metadata?.name)).toEqual(['c', 'd']);
    expect(third.items.map((p) => p.metadata?.name)).toEqual(['e']);
    expect(third.metadata?._continue).toBeUndefined();
    expect(second.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
  });

  it('answers a continue token older than the compacted history with 410 Expired', async () => {
    for (const name of ['a', 'b', 'c']) server.create(pod(name));
    const api = server.kubeConfig().makeApiClient(CoreV1Api);
    const first = await api.listNamespacedPod({ namespace: 'default', limit: 1 });
    server.create(pod('d'));
    server.compact();

    const failure = await apiFailure(
      api.listNamespacedPod({ namespace: 'default', limit: 1, _continue: first.metadata?._continue }),
    );

    expect(failure).toMatchObject({ code: 410, status: { reason: 'Expired', code: 410 } });
  });

  it('serves an Exact resourceVersion list from history and 410 once it is compacted', async () => {
    server.create(pod('a'));
    const before = server.resourceVersion;
    server.create(pod('b'));
    const api = server.kubeConfig().makeApiClient(CoreV1Api);

    const past = await api.listNamespacedPod({
      namespace: 'default',
      resourceVersion: before,
      resourceVersionMatch: 'Exact',
    });
    server.compact();
    const failure = await apiFailure(
      api.listNamespacedPod({ namespace: 'default', resourceVersion: before, resourceVersionMatch: 'Exact' }),
    );

    expect(past.items.map((p) => p.metadata?.name)).toEqual(['a']);
    expect(past.metadata?.resourceVersion).toBe(before);
    expect(failure).toMatchObject({ code: 410, status: { reason: 'Expired' } });
  });
});

describe('create, read, update, delete', () => {
  it('creates with generated uid, creationTimestamp, generation and resourceVersion', async () => {
    const api = server.kubeConfig().makeApiClient(CoreV1Api);
    const created = await api.createNamespacedPod({ namespace: 'default', body: pod('web') });

    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(created.metadata?.generation).toBe(1);
    expect(created.metadata?.resourceVersion).toBe(server.resourceVersion);
    expect(server.get('v1', 'Pod', 'default', 'web')?.metadata.uid).toBe(created.metadata?.uid);
  });

  it('answers a second create with 409 AlreadyExists', async () => {
    const api = server.kubeConfig().makeApiClient(CoreV1Api);
    await api.createNamespacedPod({ namespace: 'default', body: pod('web') });

    const failure = await apiFailure(api.createNamespacedPod({ namespace: 'default', body: pod('web') }));

    expect(failure).toMatchObject({
      code: 409,
      status: {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'AlreadyExists',
        message: 'pods "web" already exists',
      },
    });
  });

  it('updates with a current resourceVersion, bumps generation on spec changes only, and 409s when stale', async () => {
    const api = server.kubeConfig().makeApiClient(CoreV1Api);
    const created = await api.createNamespacedPod({ namespace: 'default', body: pod('web') });

    const relabelled = await api.replaceNamespacedPod({
      name: 'web',
      namespace: 'default',
      body: { ...created, metadata: { ...created.metadata, labels: { app: 'web' } } },
    });
    const respecced = await api.replaceNamespacedPod({
      name: 'web',
      namespace: 'default',
      body: { ...relabelled, spec: { containers: [{ name: 'app', image: 'nginx:1.28' }] } },
    });
    const stale = await apiFailure(
      api.replaceNamespacedPod({ name: 'web', namespace: 'default', body: created }),
    );

    expect(relabelled.metadata?.generation).toBe(1);
    expect(respecced.metadata?.generation).toBe(2);
    expect(Number(respecced.metadata?.resourceVersion)).toBeGreaterThan(
      Number(relabelled.metadata?.resourceVersion),
    );
    expect(stale).toMatchObject({ code: 409, status: { reason: 'Conflict' } });
    expect(stale.status.message).toContain('the object has been modified');
  });

  it('deletes, then answers reads and deletes with 404 NotFound', async () => {
    server.create(pod('web'));
    const api = server.kubeConfig().makeApiClient(CoreV1Api);

    await api.deleteNamespacedPod({ name: 'web', namespace: 'default' });
    const read = await apiFailure(api.readNamespacedPod({ name: 'web', namespace: 'default' }));
    const again = await apiFailure(api.deleteNamespacedPod({ name: 'web', namespace: 'default' }));

    expect(read).toMatchObject({
      code: 404,
      status: { reason: 'NotFound', message: 'pods "web" not found', details: { name: 'web', kind: 'pods' } },
    });
    expect(again.code).toBe(404);
    expect(server.get('v1', 'Pod', 'default', 'web')).toBeUndefined();
  });

  it('writes discovery.k8s.io/v1 EndpointSlices', async () => {
    const api = server.kubeConfig().makeApiClient(DiscoveryV1Api);
    await api.createNamespacedEndpointSlice({
      namespace: 'shop',
      body: {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: 'web-remote', labels: { 'kubernetes.io/service-name': 'web' } },
        addressType: 'IPv4',
        endpoints: [{ addresses: ['10.1.0.7'] }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    });

    const list = await api.listNamespacedEndpointSlice({
      namespace: 'shop',
      labelSelector: 'kubernetes.io/service-name=web',
    });

    expect(list.items).toHaveLength(1);
    expect(list.items[0]?.endpoints?.[0]?.addresses).toEqual(['10.1.0.7']);
  });
});
