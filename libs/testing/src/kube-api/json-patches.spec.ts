import { describe, expect, it } from 'vitest';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from './json-patches.js';
import { KubeApiError } from './kube-api.errors.js';

describe('applyMergePatch', () => {
  it('merges objects recursively, deletes on null and replaces arrays', () => {
    const target = { a: { b: 1, c: 2 }, list: [1, 2], keep: true };
    expect(applyMergePatch(target, { a: { b: null, d: 3 }, list: [3] })).toEqual({
      a: { c: 2, d: 3 },
      list: [3],
      keep: true,
    });
    expect(target).toEqual({ a: { b: 1, c: 2 }, list: [1, 2], keep: true });
  });
});

describe('applyJsonPatch', () => {
  it('runs add, replace, remove, move, copy and test in order', () => {
    const result = applyJsonPatch({ a: 1, list: ['x'], 'k/8s': 0 }, [
      { op: 'test', path: '/a', value: 1 },
      { op: 'replace', path: '/a', value: 2 },
      { op: 'add', path: '/list/-', value: 'y' },
      { op: 'add', path: '/list/0', value: 'w' },
      { op: 'remove', path: '/k~18s' },
      { op: 'copy', from: '/a', path: '/b' },
      { op: 'move', from: '/b', path: '/c' },
    ]);
    expect(result).toEqual({ a: 2, list: ['w', 'x', 'y'], c: 2 });
  });

  it('fails a patch whose test does not hold with 422 Invalid', () => {
    expect(() => applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }])).toThrow(
      expect.objectContaining({ reason: 'Invalid' }) as unknown as KubeApiError,
    );
  });
});

describe('applyStrategicMergePatch', () => {
  const deployment = {
    spec: {
      replicas: 1,
      template: {
        spec: {
          containers: [
            {
              name: 'agent',
              image: 'agent:1',
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
            },
            { name: 'sidecar', image: 'side:1' },
          ],
          tolerations: [{ key: 'x' }],
        },
      },
    },
  };

  it('merges lists with a merge key element by element, as `kubectl set image` patches', () => {
    const patched = applyStrategicMergePatch(deployment, {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'agent' }, { name: 'sidecar' }],
            containers: [{ name: 'agent', image: 'agent:2' }],
          },
        },
      },
    }) as typeof deployment;
    expect(patched.spec.template.spec.containers).toEqual([
      {
        name: 'agent',
        image: 'agent:2',
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
      },
      { name: 'sidecar', image: 'side:1' },
    ]);
    expect(JSON.stringify(patched)).not.toContain('$setElementOrder');
  });

  it('carries out $patch delete and replace, element order and primitive-list deletes; other lists are replaced', () => {
    const patched = applyStrategicMergePatch(
      { ...deployment, metadata: { finalizers: ['a', 'b'] } },
      {
        metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] },
        spec: {
          template: {
            spec: {
              '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'agent' }],
              containers: [
                { name: 'agent', env: [{ name: 'A', $patch: 'delete' }] },
                { name: 'new', image: 'new:1' },
              ],
              tolerations: [{ key: 'y' }],
              securityContext: { $patch: 'replace', runAsUser: 1 },
            },
          },
        },
      },
      // biome-ignore lint/suspicious/noExplicitAny: the patched object is read as loose JSON
    ) as any;
    expect(patched.metadata.finalizers).toEqual(['b']);
    expect(patched.spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual([
      'sidecar',
      'agent',
      'new',
    ]);
    expect(patched.spec.template.spec.containers[1].env).toEqual([{ name: 'B', value: '2' }]);
    expect(patched.spec.template.spec.tolerations).toEqual([{ key: 'y' }]);
    expect(patched.spec.template.spec.securityContext).toEqual({ runAsUser: 1 });
  });
});
