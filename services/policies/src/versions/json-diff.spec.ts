import { describe, expect, it } from 'vitest';
import { jsonDiff, jsonEqual } from './json-diff.js';

describe('jsonDiff', () => {
  it('reports replaced, added and removed values at JSON pointers', () => {
    const before = { spec: { order: 1, ingress: [{ action: 'Allow' }], selector: 'a' } };
    const after = {
      spec: { order: 2, ingress: [{ action: 'Deny' }, { action: 'Log' }], types: ['Ingress'] },
    };
    expect(jsonDiff(before, after)).toEqual([
      { op: 'Replace', path: '/spec/ingress/0/action', before: 'Allow', after: 'Deny' },
      { op: 'Add', path: '/spec/ingress/1', after: { action: 'Log' } },
      { op: 'Replace', path: '/spec/order', before: 1, after: 2 },
      { op: 'Remove', path: '/spec/selector', before: 'a' },
      { op: 'Add', path: '/spec/types', after: ['Ingress'] },
    ]);
  });

  it('escapes ~ and / in keys (RFC 6901)', () => {
    expect(jsonDiff({ 'a/b~c': 1 }, { 'a/b~c': 2 })[0]?.path).toBe('/a~1b~0c');
  });

  it('treats a missing document as a whole Add or Remove', () => {
    expect(jsonDiff(undefined, { a: 1 })).toEqual([{ op: 'Add', path: '', after: { a: 1 } }]);
    expect(jsonDiff({ a: 1 }, undefined)).toEqual([{ op: 'Remove', path: '', before: { a: 1 } }]);
  });

  it('ignores key order', () => {
    expect(jsonEqual({ a: 1, b: [1, { c: 2, d: 3 }] }, { b: [1, { d: 3, c: 2 }], a: 1 })).toBe(true);
    expect(jsonEqual({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
  });
});
