import { CoreV1Api, makeInformer, type V1Pod, Watch } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type KubeApiServer, startKubeApiServer } from './kube-api-server.js';
import type { KubeObject } from './kube-object.js';
import { pod, Queue } from './spec-support.js';

interface ReceivedEvent {
  type: string;
  object: KubeObject & { code?: number; reason?: string };
}

let server: KubeApiServer;

beforeEach(async () => {
  server = await startKubeApiServer({ bookmarkIntervalMs: 25 });
});

afterEach(async () => {
  await server.close();
});

/** Starts a client-node Watch; events and the done callback's argument land in queues. */
async function watch(path: string, query: Record<string, string | number | boolean>) {
  const events = new Queue<ReceivedEvent>();
  const done = new Queue<{ error: unknown }>();
  const controller = await new Watch(server.kubeConfig()).watch(
    path,
    query,
    (type, object) => events.push({ type, object }),
    (error) => done.push({ error }),
  );
  return { events, done, controller };
}

const names = (event: ReceivedEvent) => `${event.type} ${event.object.metadata?.name}`;

describe('watch', () => {
  it('replays the events after the given resourceVersion, then streams live ones', async () => {
    server.create(pod('old'));
    const from = server.resourceVersion;
    server.create(pod('a'));
    server.update({
      ...server.get('v1', 'Pod', 'default', 'a')!,
      metadata: { name: 'a', namespace: 'default', labels: { x: '1' } },
    });
    const { events, controller } = await watch('/api/v1/namespaces/default/pods', { resourceVersion: from });

    server.delete('v1', 'Pod', 'default', 'a');

    const received = [await events.next(), await events.next(), await events.next()];
    expect(received.map(names)).toEqual(['ADDED a', 'MODIFIED a', 'DELETED a']);
    expect(received[2]?.object.metadata.resourceVersion).toBe(server.resourceVersion);
    expect(received[0]?.object).toMatchObject({ apiVersion: 'v1', kind: 'Pod' });
    controller.abort();
  });

  it('starts with ADDED events for the current objects when no resourceVersion is given', async () => {
    server.create(pod('a'));
    server.create(pod('b', 'elsewhere'));
    const { events, controller } = await watch('/api/v1/namespaces/default/pods', {});

    server.create(pod('c'));

    expect([await events.next(), await events.next()].map(names)).toEqual(['ADDED a', 'ADDED c']);
    controller.abort();
  });

  it('turns changes that move an object in or out of the label selection into ADDED and DELETED', async () => {
    server.create(pod('a', 'default', { app: 'web' }));
    const { events, controller } = await watch('/api/v1/pods', {
      resourceVersion: server.resourceVersion,
      labelSelector: 'app=web',
    });

    const current = server.get('v1', 'Pod', 'default', 'a')!;
    server.update({ ...current, metadata: { ...current.metadata, labels: { app: 'db' } } });
    server.create(pod('ignored', 'default', { app: 'db' }));
    const moved = server.get('v1', 'Pod', 'default', 'a')!;
    server.update({ ...moved, metadata: { ...moved.metadata, labels: { app: 'web' } } });

    expect([await events.next(), await events.next()].map(names)).toEqual(['DELETED a', 'ADDED a']);
    controller.abort();
  });

  it('sends BOOKMARK events carrying the current resourceVersion when allowWatchBookmarks is set', async () => {
    server.create(pod('a'));
    const { events, controller } = await watch('/api/v1/namespaces/default/pods', {
      resourceVersion: server.resourceVersion,
      allowWatchBookmarks: true,
    });

    const bookmark = await events.next();
    server.create(pod('b', 'elsewhere'));
    const later = await events.until((e) => e.object.metadata.resourceVersion === server.resourceVersion);

    expect(bookmark).toEqual({
      type: 'BOOKMARK',
      object: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { resourceVersion: String(Number(server.resourceVersion) - 1) },
      },
    });
    expect(later.type).toBe('BOOKMARK');
    controller.abort();
  });

  it('sends no BOOKMARK unless asked', async () => {
    const { events, controller } = await watch('/api/v1/namespaces/default/pods', {
      resourceVersion: server.resourceVersion,
    });
    const withBookmarks = await watch('/api/v1/namespaces/default/pods', {
      resourceVersion: server.resourceVersion,
      allowWatchBookmarks: true,
    });

    await withBookmarks.events.next();
    await withBookmarks.events.next();
    server.create(pod('a'));

    expect(names(await events.next())).toBe('ADDED a');
    controller.abort();
    withBookmarks.controller.abort();
  });

  it('answers a compacted resourceVersion with an ERROR event holding a 410 Expired Status, then ends', async () => {
    const from = server.resourceVersion;
    server.create(pod('a'));
    server.compact();

    const { events, done } = await watch('/api/v1/namespaces/default/pods', { resourceVersion: from });

    const error = await events.next();
    expect(error.type).toBe('ERROR');
    expect(error.object).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'Expired',
      code: 410,
    });
    expect(error.object).toHaveProperty('message', expect.stringContaining('too old resource version'));
    expect((await done.next()).error).toBeNull();
  });

  it('ends the stream cleanly after timeoutSeconds', async () => {
    const { done } = await watch('/api/v1/pods', {
      resourceVersion: server.resourceVersion,
      timeoutSeconds: 1,
    });
    expect((await done.next()).error).toBeNull();
    expect(server.openWatchCount('pods')).toBe(0);
  });

  it('ends open watches on closeWatches() and on close()', async () => {
    const first = await watch('/api/v1/pods', { resourceVersion: server.resourceVersion });
    expect(server.openWatchCount('pods')).toBe(1);
    server.closeWatches();
    expect((await first.done.next()).error).toBeNull();

    const second = await watch('/apis/projectcalico.org/v3/tiers', {});
    await server.close();
    expect((await second.done.next()).error).toBeNull();
    server = await startKubeApiServer();
  });

  it('watches cluster-scoped Calico resources', async () => {
    const { events, controller } = await watch('/apis/projectcalico.org/v3/globalnetworkpolicies', {});
    server.create({
      apiVersion: 'projectcalico.org/v3',
      kind: 'GlobalNetworkPolicy',
      metadata: { name: 'allow-dns' },
      spec: { order: 10 },
    });

    const added = await events.next();
    expect(names(added)).toBe('ADDED allow-dns');
    expect(added.object).toMatchObject({
      apiVersion: 'projectcalico.org/v3',
      kind: 'GlobalNetworkPolicy',
      spec: { order: 10 },
    });
    controller.abort();
  });
});

describe('makeInformer', () => {
  function podInformer() {
    const config = server.kubeConfig();
    const api = config.makeApiClient(CoreV1Api);
    const informer = makeInformer<V1Pod>(config, '/api/v1/namespaces/default/pods', () =>
      api.listNamespacedPod({ namespace: 'default' }),
    );
    const changes = new Queue<string>();
    informer.on('add', (p) => changes.push(`add ${p.metadata?.name}`));
    informer.on('update', (p) =>
      changes.push(`update ${p.metadata?.name} ${JSON.stringify(p.metadata?.labels ?? {})}`),
    );
    informer.on('delete', (p) => changes.push(`delete ${p.metadata?.name}`));
    informer.on('error', (error) => changes.push(`error ${String(error)}`));
    return { informer, changes };
  }

  it('receives add, update and delete for pods changed through the store', async () => {
    server.create(pod('existing'));
    const { informer, changes } = podInformer();
    await informer.start();
    expect(await changes.next()).toBe('add existing');

    server.create(pod('web'));
    const web = server.get('v1', 'Pod', 'default', 'web')!;
    server.update({ ...web, metadata: { ...web.metadata, labels: { app: 'web' } } });
    server.delete('v1', 'Pod', 'default', 'existing');
    server.create(pod('elsewhere', 'other'));

    expect([await changes.next(), await changes.next(), await changes.next()]).toEqual([
      'add web',
      'update web {"app":"web"}',
      'delete existing',
    ]);
    expect(informer.list().map((p) => p.metadata?.name)).toEqual(['web']);
    await informer.stop();
  });

  it('relists after a 410 on reconnect and converges to the current set', async () => {
    server.create(pod('keep'));
    server.create(pod('gone'));
    const { informer, changes } = podInformer();
    await informer.start();
    await changes.next();
    await changes.next();
    expect(server.requestCount({ verb: 'list', resource: 'pods' })).toBe(1);

    // While the informer is disconnected: changes it misses, then the history behind them is compacted.
    server.closeWatches();
    server.delete('v1', 'Pod', 'default', 'gone');
    server.create(pod('new'));
    server.compact();

    const afterRelist = [await changes.next(), await changes.next()].sort();
    expect(afterRelist).toEqual(['add new', 'delete gone']);
    expect(server.requestCount({ verb: 'list', resource: 'pods' })).toBe(2);
    expect(
      informer
        .list()
        .map((p) => p.metadata?.name)
        .sort(),
    ).toEqual(['keep', 'new']);

    server.create(pod('after'));
    expect(await changes.next()).toBe('add after');
    await informer.stop();
  });
});
