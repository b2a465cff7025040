import { describe, expect, it } from 'vitest';
import { applyJsonPatch, applyMergePatch } from './json-patches.js';
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
