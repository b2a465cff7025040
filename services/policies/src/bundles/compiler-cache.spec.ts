import { describe, expect, it } from 'vitest';
import { ENDPOINTS, INPUT, pod } from '../compiler/compiler.fixtures.js';
import type { CompilerInput } from '../compiler/compiler.types.js';
import { compileBundles } from '../compiler/federation-compiler.js';
import { CompilerCache } from './compiler-cache.js';

const hashes = (bundles: ReadonlyMap<string, { hash: string }>) =>
  Object.fromEntries([...bundles].map(([id, bundle]) => [id, bundle.hash]));

describe('the worker’s compiler cache', () => {
  it('compiles cold the first time, then incrementally for pod changes, always equal to a cold compile', () => {
    const cache = new CompilerCache(10);
    const first = cache.bundles('t1', INPUT);
    expect(first.mode).toBe('cold');
    expect(hashes(first.bundles)).toEqual(hashes(compileBundles(INPUT)));

    // A new database pod in eu-west-1, one relabelled, one gone.
    const endpoints = [
      ...ENDPOINTS.filter((e) => !(e.clusterId === 'c-us-east' && e.name === 'db-0')),
      pod('c-eu-west', 'shop', 'db-7', { app: 'db' }, ['10.1.0.77']),
    ].map((e) => (e.clusterId === 'c-eu-west' && e.name === 'db-1' ? { ...e, labels: { app: 'cache' } } : e));
    const changed: CompilerInput = { ...INPUT, endpoints };
    const before = hashes(first.bundles);
    const second = cache.bundles('t1', changed);
    expect(second.mode).toBe('incremental');
    const cold = hashes(compileBundles(changed));
    expect(hashes(second.bundles)).toEqual(cold);
    expect(cold).not.toEqual(before);

    // Nothing changed: still incremental, nothing different.
    expect(hashes(cache.bundles('t1', changed).bundles)).toEqual(cold);
  });

  it('compiles cold when anything but the pods changed (policies, clusters)', () => {
    const cache = new CompilerCache(10);
    cache.bundles('t1', INPUT);
    const relabelled: CompilerInput = {
      ...INPUT,
      clusters: INPUT.clusters.map((c) => (c.name === 'us-east-1' ? { ...c, labels: { geo: 'eu' } } : c)),
    };
    const result = cache.bundles('t1', relabelled);
    expect(result.mode).toBe('cold');
    expect(hashes(result.bundles)).toEqual(hashes(compileBundles(relabelled)));
    const fewer: CompilerInput = { ...relabelled, policies: relabelled.policies.slice(1) };
    expect(cache.bundles('t1', fewer).mode).toBe('cold');
  });

  it('keeps at most its capacity of tenants, dropping the least recently used', () => {
    const cache = new CompilerCache(2);
    cache.bundles('a', INPUT);
    cache.bundles('b', INPUT);
    cache.bundles('a', INPUT); // a is now the most recent
    cache.bundles('c', INPUT); // drops b
    expect(cache.bundles('a', INPUT).mode).toBe('incremental');
    expect(cache.bundles('b', INPUT).mode).toBe('cold');
    cache.drop('b');
    expect(cache.bundles('b', INPUT).mode).toBe('cold');
  });
});
