import type { InventoryObject, PodObject } from '@meshplane/protocol';
import { inventoryKey } from '@meshplane/protocol';
import { type KubeApiServer, type KubeObject, startKubeApiServer } from '@meshplane/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AgentHandle, startAgent } from '../../agent.js';
import { MemoryCredentialStore } from '../../credentials/credential-store.js';
import { InventoryStore } from '../../inventory/inventory-store.js';
import { silentLogger } from '../../log.js';
import { storedCredential, testConfig } from '../../spec-support/agent-fixtures.js';
import { type FakeConnection, FakeHub } from '../../spec-support/fake-hub.js';
import { KubernetesDriver } from './kubernetes-driver.js';

function namespace(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { env: 'test' } } };
}

function node(name: string, ip: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.io/hostname': name },
      annotations: {
        'projectcalico.org/WireguardPublicKey': 'jlkVyQYooZYzI2wFfNhSZez5eWh44yfq1wKVjLvSXgY=',
        'kubectl.kubernetes.io/last-applied-configuration': '{"huge":true}',
      },
    },
    status: {
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: name },
      ],
    },
  };
}

function pod(name: string, ip: string, labels: Record<string, string> = { app: 'web' }): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'shop',
      labels,
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d9f', uid: 'rs-1', controller: true },
      ],
    },
    spec: { nodeName: 'worker-1', serviceAccountName: 'web', containers: [{ name: 'app', image: 'nginx' }] },
    status: {
      phase: 'Running',
      podIP: ip,
      podIPs: [{ ip }],
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  };
}

function service(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: 'shop',
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': 'x'.repeat(10_000), team: 'web' },
    },
    spec: {
      selector: { app: 'web' },
      clusterIP: '10.96.0.10',
      clusterIPs: ['10.96.0.10'],
      type: 'ClusterIP',
      ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
    },
  };
}

function seedCluster(server: KubeApiServer): void {
  server.create(namespace('shop'));
  server.create(node('worker-1', '192.168.1.11'));
  server.create(node('worker-2', '192.168.1.12'));
  server.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', namespace: 'shop' } });
  server.create(pod('web-1', '10.244.1.5'));
  server.create(service('web'));
  server.create({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-abcde', namespace: 'shop', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    endpoints: [
      {
        addresses: ['10.244.1.5'],
        conditions: { ready: true },
        nodeName: 'worker-1',
        targetRef: { kind: 'Pod', namespace: 'shop', name: 'web-1' },
      },
    ],
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  });
  server.create({
    apiVersion: 'projectcalico.org/v3',
    kind: 'HostEndpoint',
    metadata: { name: 'worker-1-eth0', labels: { 'host-endpoint': 'ingress' } },
    spec: { node: 'worker-1', interfaceName: 'eth0', expectedIPs: ['192.168.1.11'] },
  });
  server.create({
    apiVersion: 'multicluster.x-k8s.io/v1alpha1',
    kind: 'ServiceExport',
    metadata: { name: 'web', namespace: 'shop' },
  });
}

let server: KubeApiServer;
let hub: FakeHub;
let agent: AgentHandle | undefined;

beforeEach(async () => {
  server = await startKubeApiServer({ gitVersion: 'v1.33.1' });
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
  return hub.connection(0);
}

function find(objects: InventoryObject[], key: string): InventoryObject | undefined {
  return objects.find((object) => inventoryKey(object) === key);
}

/** Waits until a delta holds a change matching `predicate`. */
function deltaChange(
  connection: FakeConnection,
  predicate: (change: { op: string; object: { kind: string; name: string } }) => boolean,
) {
  return connection.until(
    () =>
      connection
        .deltas()
        .flatMap((delta) => delta.changes)
        .find(predicate),
    'a matching delta change',
  );
}

describe('kubernetes driver', () => {
  it('reports the cluster version and node count in hello', async () => {
    seedCluster(server);
    const connection = await startWithKubernetes();
    expect((await connection.waitFor('hello')).cluster).toEqual({
      kubernetesVersion: 'v1.33.1',
      nodeCount: 2,
      calicoKinds: expect.arrayContaining(['GlobalNetworkPolicy', 'StagedNetworkPolicy', 'Tier']),
    });
  });

  it('reports the Calico version from ClusterInformation default, and none it cannot vouch for', async () => {
    seedCluster(server);
    server.create({
      apiVersion: 'projectcalico.org/v3',
      kind: 'ClusterInformation',
      metadata: { name: 'default' },
      spec: { calicoVersion: 'not a version' },
    });
    const connection = await startWithKubernetes();
    expect((await connection.waitFor('hello')).cluster?.calicoVersion).toBeUndefined();

    server.update({
      ...server.get('projectcalico.org/v3', 'ClusterInformation', undefined, 'default')!,
      spec: { calicoVersion: 'v3.30.2' },
    });
    connection.drop();
    const next = await hub.connection(1);
    expect((await next.waitFor('hello')).cluster?.calicoVersion).toBe('v3.30.2');
  });

  it('sends a snapshot with every kind converted to the protocol shape', async () => {
    seedCluster(server);
    const connection = await startWithKubernetes();
    const { objects } = await connection.snapshot();

    expect(objects.map(inventoryKey).sort()).toEqual([
      'endpointslice/shop/web-abcde',
      'hostendpoint//worker-1-eth0',
      'namespace//shop',
      'node//worker-1',
      'node//worker-2',
      'pod/shop/web-1',
      'service/shop/web',
      'serviceaccount/shop/web',
      'serviceexport/shop/web',
    ]);
    expect(find(objects, 'pod/shop/web-1')).toMatchObject({
      labels: { app: 'web' },
      ips: ['10.244.1.5'],
      nodeName: 'worker-1',
      serviceAccount: 'web',
      ready: true,
      phase: 'Running',
      ownerKind: 'ReplicaSet',
      ownerName: 'web-5d9f',
    });
    expect(find(objects, 'service/shop/web')).toEqual({
      kind: 'service',
      namespace: 'shop',
      name: 'web',
      labels: {},
      annotations: { team: 'web' },
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
      clusterIPs: ['10.96.0.10'],
      type: 'ClusterIP',
    });
    expect(find(objects, 'node//worker-1')).toEqual({
      kind: 'node',
      name: 'worker-1',
      labels: { 'kubernetes.io/hostname': 'worker-1' },
      annotations: { 'projectcalico.org/WireguardPublicKey': 'jlkVyQYooZYzI2wFfNhSZez5eWh44yfq1wKVjLvSXgY=' },
      internalIPs: ['192.168.1.11'],
    });
    expect(find(objects, 'endpointslice/shop/web-abcde')).toMatchObject({
      service: 'web',
      endpoints: [{ addresses: ['10.244.1.5'], ready: true, nodeName: 'worker-1' }],
    });
    expect(find(objects, 'hostendpoint//worker-1-eth0')).toEqual({
      kind: 'hostendpoint',
      name: 'worker-1-eth0',
      labels: { 'host-endpoint': 'ingress' },
      node: 'worker-1',
      expectedIPs: ['192.168.1.11'],
      interfaceName: 'eth0',
    });
  });

  it('sends a pod created, updated and deleted in the cluster as deltas within a second', async () => {
    seedCluster(server);
    const connection = await startWithKubernetes();
    await connection.snapshot();
    const started = Date.now();

    server.create(pod('web-2', '10.244.1.6'));
    await deltaChange(connection, (change) => change.op === 'upsert' && change.object.name === 'web-2');
    const current = server.get('v1', 'Pod', 'shop', 'web-2')!;
    server.update({ ...current, metadata: { ...current.metadata, labels: { app: 'web', version: 'v2' } } });
    const updated = await deltaChange(
      connection,
      (change) => change.op === 'upsert' && (change.object as PodObject).labels?.version === 'v2',
    );
    server.delete('v1', 'Pod', 'shop', 'web-2');
    const deleted = await deltaChange(
      connection,
      (change) => change.op === 'delete' && change.object.name === 'web-2',
    );

    expect(Date.now() - started).toBeLessThan(1_000);
    expect(updated.object).toMatchObject({ kind: 'pod', namespace: 'shop', name: 'web-2' });
    expect(deleted.object).toEqual({ kind: 'pod', namespace: 'shop', name: 'web-2' });
  });

  it('relists after 410 Expired and reports a deletion it missed while the watch was down', async () => {
    seedCluster(server);
    server.create(pod('web-2', '10.244.1.6'));
    const connection = await startWithKubernetes();
    await connection.snapshot();
    const listsBefore = server.requestCount({ verb: 'list', resource: 'pods' });

    // The watch ends, the pod goes while nobody watches, and the history is compacted away.
    server.closeWatches();
    server.delete('v1', 'Pod', 'shop', 'web-2');
    server.create(namespace('other'));
    server.compact();

    const deleted = await deltaChange(
      connection,
      (change) => change.op === 'delete' && change.object.name === 'web-2',
    );
    expect(deleted.object.kind).toBe('pod');
    expect(server.requestCount({ verb: 'list', resource: 'pods' })).toBeGreaterThan(listsBefore);
    await connection.until(
      () => (agent?.inventory.get('namespace//other') ? true : undefined),
      'namespace other',
    );
    server.create(pod('web-3', '10.244.1.7'));
    await deltaChange(connection, (change) => change.op === 'upsert' && change.object.name === 'web-3');
  });

  it('loads the initial state before resolving start, so the first snapshot is complete', async () => {
    seedCluster(server);
    const store = new InventoryStore();
    const driver = new KubernetesDriver({ kubeConfig: server.kubeConfig(), logger: silentLogger });
    await driver.start(store);
    try {
      expect(store.size).toBe(9);
      expect(driver.clusterInfo()).toMatchObject({ kubernetesVersion: 'v1.33.1', nodeCount: 2 });
    } finally {
      await driver.stop();
    }
  });

  it('retries the initial list while the API refuses the agent', async () => {
    seedCluster(server);
    const store = new InventoryStore();
    const driver = new KubernetesDriver({
      kubeConfig: server.kubeConfig({ token: 'wrong' }),
      logger: silentLogger,
      retryBaseMs: 10,
      retryCapMs: 20,
    });
    const started = driver.start(store);
    while (server.requestCount({ verb: 'list', resource: 'namespaces' }) < 3) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(store.size).toBe(0);
    await driver.stop();
    await started;
  });
});
