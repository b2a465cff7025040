import { describe, expect, it } from 'vitest';
import { applyConfiguration, recordUpdate, sameContent } from './field-manager.js';
import { KubeApiError } from './kube-api.errors.js';
import type { KubeObject } from './kube-object.js';

const base = (extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'c', namespace: 'n' },
  ...extra,
});

const request = (manager: string, force = false) => ({
  manager,
  force,
  apiVersion: 'v1',
  now: '2024-01-01T00:00:00Z',
});

function owners(object: KubeObject): Record<string, unknown> {
  return Object.fromEntries(
    (object.metadata.managedFields ?? []).map((m) => [`${m.manager}/${m.operation}`, m.fieldsV1]),
  );
}

describe('applyConfiguration', () => {
  it('owns top-level keys of maps, whole top-level fields and single labels', () => {
    const applied = applyConfiguration(
      base(),
      base({ data: { a: '1' }, immutable: true, metadata: { name: 'c', labels: { x: 'y' } } }),
      request('m'),
    );
    expect(owners(applied)).toEqual({
      'm/Apply': { 'f:data': { 'f:a': {} }, 'f:immutable': {}, 'f:metadata': { 'f:labels': { 'f:x': {} } } },
    });
  });

  it('replaces a nested value as a whole rather than merging inside it', () => {
    const first = applyConfiguration(base(), base({ spec: { rule: { a: 1, b: 2 } } }), request('m'));
    const second = applyConfiguration(first, base({ spec: { rule: { a: 1 } } }), request('m'));
    expect(second.spec).toEqual({ rule: { a: 1 } });
  });

  it('reports every conflicting field and changes nothing', () => {
    const first = applyConfiguration(base(), base({ data: { a: '1', b: '2', c: '3' } }), request('owner'));
    const attempt = () =>
      applyConfiguration(first, base({ data: { a: 'x', b: 'y', c: '3' } }), request('intruder'));
    expect(attempt).toThrow(KubeApiError);
    try {
      attempt();
    } catch (error) {
      expect((error as KubeApiError).message).toBe(
        'Apply failed with 2 conflicts: conflicts with "owner" using v1:\n- .data.a\n- .data.b',
      );
      expect((error as KubeApiError).details?.causes?.map((c) => c.field)).toEqual(['.data.a', '.data.b']);
    }
  });

  it('drops the emptied labels map when the last owned label is withdrawn', () => {
    const first = applyConfiguration(
      base(),
      base({ metadata: { name: 'c', labels: { x: 'y' } } }),
      request('m'),
    );
    const second = applyConfiguration(first, base(), request('m'));
    expect(second.metadata.labels).toBeUndefined();
    expect(second.metadata.managedFields).toEqual([]);
  });
});

describe('recordUpdate', () => {
  it('gives the updater the fields it changed and takes them from the applier', () => {
    const applied = applyConfiguration(base(), base({ data: { a: '1', b: '2' } }), request('applier'));
    const updated = recordUpdate(
      applied,
      { ...structuredClone(applied), data: { a: 'changed', b: '2' } },
      {
        manager: 'editor',
        apiVersion: 'v1',
        now: '2024-01-02T00:00:00Z',
      },
    );
    expect(owners(updated)).toEqual({
      'applier/Apply': { 'f:data': { 'f:b': {} } },
      'editor/Update': { 'f:data': { 'f:a': {} } },
    });
  });
});

describe('sameContent', () => {
  it('ignores managedFields timestamps and resourceVersion but nothing else', () => {
    const a = applyConfiguration(base(), base({ data: { a: '1' } }), request('m'));
    const b = structuredClone(a);
    b.metadata.resourceVersion = '99';
    b.metadata.managedFields![0]!.time = '2030-01-01T00:00:00Z';
    expect(sameContent(a, b)).toBe(true);
    expect(sameContent(a, { ...b, data: { a: '2' } })).toBe(false);
  });
});
