import { describe, expect, it } from 'vitest';
import type { KubeObject } from './kube-object.js';
import { ObjectStore } from './object-store.js';

const cm = (name: string, value = '1'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'n' },
  data: { value },
});

describe('ObjectStore', () => {
  it('stamps each commit with the next global revision', () => {
    const store = new ObjectStore();
    const start = store.currentRevision;
    const a = store.insert('configmaps', cm('a'));
    const b = store.insert('pods', { ...cm('b'), kind: 'Pod' });
    expect([a.metadata.resourceVersion, b.metadata.resourceVersion]).toEqual([
      String(start + 1),
      String(start + 2),
    ]);
  });

  it('rebuilds past lists from history', () => {
    const store = new ObjectStore();
    store.insert('configmaps', cm('a'));
    const revision = store.currentRevision;
    store.replace('configmaps', cm('a', '2'));
    store.insert('configmaps', cm('b'));
    store.remove('configmaps', 'n', 'a');
    expect(store.listAt('configmaps', 'n', revision).map((o) => [o.metadata.name, o.data])).toEqual([
      ['a', { value: '1' }],
    ]);
    expect(store.list('configmaps').map((o) => o.metadata.name)).toEqual(['b']);
  });

  it('expires revisions older than the compacted history, but not the current one', () => {
    const store = new ObjectStore();
    const old = store.currentRevision;
    store.insert('configmaps', cm('a'));
    store.compact();
    expect(() => store.eventsSince('configmaps', old)).toThrow(
      expect.objectContaining({ reason: 'Expired', httpCode: 410 }),
    );
    expect(store.eventsSince('configmaps', store.currentRevision)).toEqual([]);
  });

  it('expires the oldest revisions beyond historyLimit', () => {
    const store = new ObjectStore(2);
    const start = store.currentRevision;
    for (const name of ['a', 'b', 'c']) store.insert('configmaps', cm(name));
    expect(() => store.eventsSince('configmaps', start)).toThrow(
      expect.objectContaining({ reason: 'Expired' }),
    );
    expect(store.eventsSince('configmaps', start + 1).map((e) => e.object.metadata.name)).toEqual(['b', 'c']);
  });

  it('hands out copies, so callers cannot change stored objects', () => {
    const store = new ObjectStore();
    const input = cm('a');
    store.insert('configmaps', input);
    input.data = { value: 'mutated' };
    store.get('configmaps', 'n', 'a')!.data = { value: 'mutated' };
    expect(store.get('configmaps', 'n', 'a')?.data).toEqual({ value: '1' });
  });
});
