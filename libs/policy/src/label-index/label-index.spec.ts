import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SelectorNode } from '../selector/ast.js';
import { compileSelector, type Labels } from '../selector/compile.js';
import { labelsArb, selectorNodeArb } from '../selector/selector.fixtures.js';
import { LabelIndex, type MembershipChange } from './label-index.js';

const byIds = (a: MembershipChange, b: MembershipChange) =>
  `${a.selectorId}/${a.itemId}`.localeCompare(`${b.selectorId}/${b.itemId}`);

describe('LabelIndex', () => {
  it('reports matches when a selector is added and when items come and go', () => {
    const index = new LabelIndex();
    index.upsertItem('web-1', { app: 'web', env: 'prod' });
    index.upsertItem('db-1', { app: 'db', env: 'prod' });

    expect(index.upsertSelector('prod-web', "app == 'web' && env == 'prod'")).toEqual([
      { selectorId: 'prod-web', itemId: 'web-1', matched: true },
    ]);
    expect(index.upsertItem('web-2', { app: 'web', env: 'prod' })).toEqual([
      { selectorId: 'prod-web', itemId: 'web-2', matched: true },
    ]);
    expect(index.upsertItem('web-2', { app: 'web', env: 'dev' })).toEqual([
      { selectorId: 'prod-web', itemId: 'web-2', matched: false },
    ]);
    expect(index.upsertItem('web-2', { app: 'web', env: 'dev', extra: 'x' })).toEqual([]);
    expect(index.removeItem('web-1')).toEqual([{ selectorId: 'prod-web', itemId: 'web-1', matched: false }]);
    expect([...index.itemsMatching('prod-web')]).toEqual([]);
  });

  it('reports only the difference when a selector is replaced, and everything when it is removed', () => {
    const index = new LabelIndex();
    index.upsertItem('a', { app: 'web' });
    index.upsertItem('b', { app: 'db' });
    index.upsertItem('c', { app: 'api' });
    index.upsertSelector('s', "app in {'web', 'db'}");

    expect(index.upsertSelector('s', "app in {'db', 'api'}").sort(byIds)).toEqual([
      { selectorId: 's', itemId: 'a', matched: false },
      { selectorId: 's', itemId: 'c', matched: true },
    ]);
    expect(index.removeSelector('s').sort(byIds)).toEqual([
      { selectorId: 's', itemId: 'b', matched: false },
      { selectorId: 's', itemId: 'c', matched: false },
    ]);
    expect([...index.selectorsMatching('b')]).toEqual([]);
  });

  it('treats an absent label as a match for != and not in', () => {
    const index = new LabelIndex();
    index.upsertSelector('not-web', "app != 'web'");
    expect(index.upsertItem('bare', {})).toEqual([{ selectorId: 'not-web', itemId: 'bare', matched: true }]);
  });

  it('files selectors under the narrowest label it can find', () => {
    const index = new LabelIndex();
    for (let i = 0; i < 10; i++) index.upsertItem(`i${i}`, { app: 'web', env: i === 0 ? 'prod' : 'dev' });
    index.upsertSelector('eq', "app == 'web' && env == 'prod'");
    index.upsertSelector('has', 'has(app)');
    index.upsertSelector('or', "app == 'web' || app == 'db'");
    index.upsertSelector('negation', "!has(app) || env != 'x'");
    index.upsertSelector('empty-set', 'app in {} && has(env)');
    expect(index.narrowingOf('eq')).toEqual({ kind: 'values', label: 'env', values: ['prod'] });
    expect(index.narrowingOf('has')).toEqual({ kind: 'key', label: 'app' });
    expect(index.narrowingOf('or')).toEqual({ kind: 'values', label: 'app', values: ['db', 'web'] });
    expect(index.narrowingOf('negation')).toEqual({ kind: 'scan' });
    expect(index.narrowingOf('empty-set')).toEqual({ kind: 'never' });
  });

  it('copies labels, so later mutation by the caller does not corrupt the index', () => {
    const index = new LabelIndex();
    index.upsertSelector('s', "app == 'web'");
    const labels: Record<string, string> = { app: 'web' };
    index.upsertItem('x', labels);
    labels.app = 'db';
    expect(index.upsertItem('x', labels)).toEqual([{ selectorId: 's', itemId: 'x', matched: false }]);
  });

  it('keeps frozen labels as they are: nobody can change them', () => {
    const index = new LabelIndex();
    index.upsertSelector('s', "app == 'web'");
    const labels = Object.freeze({ app: 'web' });
    expect(index.upsertItem('x', labels)).toEqual([{ selectorId: 's', itemId: 'x', matched: true }]);
    expect(() => {
      (labels as Record<string, string>).app = 'db';
    }).toThrow(TypeError);
    expect([...index.itemsMatching('s')]).toEqual(['x']);
  });

  type Op =
    | { op: 'upsertItem'; id: string; labels: Labels }
    | { op: 'removeItem'; id: string }
    | { op: 'upsertSelector'; id: string; node: SelectorNode }
    | { op: 'removeSelector'; id: string };

  const itemId = fc.constantFrom('i1', 'i2', 'i3', 'i4', 'i5', 'i6');
  const selectorId = fc.constantFrom('s1', 's2', 's3', 's4');
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    {
      arbitrary: fc.record({ op: fc.constant('upsertItem' as const), id: itemId, labels: labelsArb }),
      weight: 4,
    },
    { arbitrary: fc.record({ op: fc.constant('removeItem' as const), id: itemId }), weight: 1 },
    {
      arbitrary: fc.record({
        op: fc.constant('upsertSelector' as const),
        id: selectorId,
        node: selectorNodeArb,
      }),
      weight: 2,
    },
    { arbitrary: fc.record({ op: fc.constant('removeSelector' as const), id: selectorId }), weight: 1 },
  );

  it('agrees with recomputing from scratch after any sequence of updates, and its changes add up', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        const index = new LabelIndex();
        const items = new Map<string, Labels>();
        const selectors = new Map<string, SelectorNode>();
        const reported = new Set<string>();
        const apply = (changes: MembershipChange[]) => {
          for (const { selectorId, itemId, matched } of changes) {
            const key = `${selectorId}/${itemId}`;
            expect(reported.has(key)).toBe(!matched); // every change is a real change
            if (matched) reported.add(key);
            else reported.delete(key);
          }
        };
        for (const op of ops) {
          switch (op.op) {
            case 'upsertItem':
              items.set(op.id, op.labels);
              apply(index.upsertItem(op.id, op.labels));
              break;
            case 'removeItem':
              items.delete(op.id);
              apply(index.removeItem(op.id));
              break;
            case 'upsertSelector':
              selectors.set(op.id, op.node);
              apply(index.upsertSelector(op.id, op.node));
              break;
            case 'removeSelector':
              selectors.delete(op.id);
              apply(index.removeSelector(op.id));
              break;
          }
        }
        const expected = new Set<string>();
        for (const [sid, node] of selectors) {
          const matches = compileSelector(node);
          for (const [iid, labels] of items) if (matches(labels)) expected.add(`${sid}/${iid}`);
        }
        const actual = new Set<string>();
        for (const sid of selectors.keys())
          for (const iid of index.itemsMatching(sid)) actual.add(`${sid}/${iid}`);
        const inverse = new Set<string>();
        for (const iid of items.keys())
          for (const sid of index.selectorsMatching(iid)) inverse.add(`${sid}/${iid}`);
        expect([...actual].sort()).toEqual([...expected].sort());
        expect([...inverse].sort()).toEqual([...expected].sort());
        expect([...reported].sort()).toEqual([...expected].sort());
      }),
      { numRuns: 1000 },
    );
  });
});
