import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EmittedObject, emit, networkSetObject, tierObject } from './calico-objects.js';
import { bundleHash, bySortKey, ClusterObjects, HASH_BUCKETS, hashBucket } from './cluster-objects.js';

/** A network set for pod `name` of cluster `c`, with one IP: `version` changes its content only. */
const set = (name: string, version: number, scope: 'global' | 'namespaced' = 'global'): EmittedObject =>
  emit(
    networkSetObject(
      scope,
      { clusterId: 'c', namespace: 'ns', name, labels: {}, ips: [`10.0.0.${version}`] },
      { app: name },
    ),
  );

const BEFORE = [emit(tierObject({ name: 'security', order: 1, defaultAction: 'Pass' }))];
const AFTER: EmittedObject[] = [];

const patchArb = fc.record({
  // Lengths spread over the whole range (size 'max'): small patches splice, large ones rebuild.
  dropped: fc.uniqueArray(fc.integer({ min: 0, max: 59 }), { maxLength: 40, size: 'max' }),
  added: fc.uniqueArray(
    fc.tuple(fc.integer({ min: 0, max: 59 }), fc.integer({ min: 1, max: 3 }), fc.boolean()),
    { maxLength: 40, size: 'max', selector: ([name, , namespaced]) => `${name}/${namespaced}` },
  ),
});

describe('ClusterObjects', () => {
  it('after any patches, equals the same objects listed and hashed from scratch', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 59 }), { maxLength: 50, size: 'max' }),
        fc.array(patchArb, { maxLength: 5 }),
        (initial, patches) => {
          const current = new Map<string, EmittedObject>();
          for (const name of initial) {
            const object = set(`p${name}`, 1);
            current.set(object.sortKey, object);
          }
          const objects = ClusterObjects.of(BEFORE, [...current.values()].sort(bySortKey), AFTER);
          for (const patch of patches) {
            const dropped = patch.dropped.map((name) => set(`p${name}`, 1).sortKey);
            for (const key of dropped) current.delete(key);
            // Added keys are never present: a pod's sets are dropped before its new ones come in.
            const added = patch.added
              .map(([name, version, namespaced]) =>
                set(`p${name}`, version, namespaced ? 'namespaced' : 'global'),
              )
              .filter((object) => !current.has(object.sortKey));
            for (const object of added) current.set(object.sortKey, object);
            objects.patch(dropped, added);

            const expected = [...current.values()].sort(bySortKey);
            const bundle = objects.bundle('c1');
            expect(objects.networkSets).toEqual(expected);
            expect(bundle.objects).toEqual([...BEFORE, ...expected].map((o) => o.object));
            expect(bundle).toEqual(ClusterObjects.of(BEFORE, expected, AFTER).bundle('c1'));
            expect(bundle.hash).toBe(bundleHash('c1', [...BEFORE, ...expected]));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('changes the hash when an object changes or moves, and only then (the cluster is not part of it)', () => {
    const a = [set('a', 1), set('b', 1)].sort(bySortKey);
    const hash = bundleHash('c1', a);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(bundleHash('c1', [set('a', 1), set('b', 1)].sort(bySortKey))).toBe(hash);
    expect(bundleHash('c1', [set('a', 2), set('b', 1)].sort(bySortKey))).not.toBe(hash);
    // Equal content for another cluster: the same hash (bundle contents are stored once by it).
    expect(bundleHash('c2', a)).toBe(hash);
    expect(bundleHash('c1', [a[0]!])).not.toBe(hash);
    // Two objects of one bucket in the other order: another hash.
    const same = [set('a', 1), ...Array.from({ length: 200 }, (_, i) => set(`x${i}`, 1))].filter(
      (o) => hashBucket(o) === hashBucket(set('a', 1)),
    );
    expect(same.length).toBeGreaterThan(1);
    expect(bundleHash('c1', [same[1]!, same[0]!])).not.toBe(bundleHash('c1', [same[0]!, same[1]!]));
  });

  it('refuses to add a set whose key is already there, before changing anything', () => {
    const objects = ClusterObjects.of(BEFORE, [set('a', 1)], AFTER);
    const before = objects.bundle('c1');
    expect(() => objects.patch([set('b', 1).sortKey], [set('b', 1), set('a', 2)])).toThrow(
      /already in the bundle/,
    );
    expect(objects.bundle('c1')).toEqual(before);
    objects.patch([set('a', 1).sortKey], [set('a', 2)]);
    expect(objects.bundle('c1').hash).toBe(bundleHash('c1', [...BEFORE, set('a', 2)]));
  });

  it('spreads objects over every bucket', () => {
    const buckets = new Set(Array.from({ length: 2000 }, (_, i) => hashBucket(set(`p${i}`, 1))));
    expect(buckets.size).toBe(HASH_BUCKETS);
  });
});
