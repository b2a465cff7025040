import { compileSelector, type Policy, parseSelector } from '@meshplane/policy';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emit, remoteEndpointLabels, remoteEndpointSetName } from './calico-objects.js';
import { bundleHash } from './cluster-objects.js';
import type {
  ClusterBundle,
  CompilerCluster,
  CompilerEndpoint,
  CompilerInput,
  EndpointRef,
} from './compiler.types.js';
import { compileBundles, endpointKey, FederationCompiler } from './federation-compiler.js';

/**
 * The incremental path (patching each affected cluster's network sets and hash buckets) against a
 * cold compile of the same final state, over random inventories and random batches of changes.
 */

const CLUSTERS: readonly CompilerCluster[] = [
  { id: 'c0', name: 'eu-1', labels: { geo: 'eu' } },
  { id: 'c1', name: 'eu-2', labels: { geo: 'eu' } },
  { id: 'c2', name: 'us-1', labels: { geo: 'us' } },
  { id: 'c3', name: 'ap-1', labels: { geo: 'ap' } },
];

const POLICIES: readonly Policy[] = [
  {
    kind: 'GlobalNetworkPolicy',
    metadata: { name: 'web-to-eu-db' },
    spec: {
      tier: 'security',
      selector: "app == 'web'",
      egress: [{ action: 'Allow', destination: { selector: "geo-of == 'eu' && app == 'db'" } }],
      clusterSelector: "geo != 'eu'",
    },
  },
  {
    kind: 'GlobalNetworkPolicy',
    metadata: { name: 'cluster-pinned' },
    spec: {
      selector: 'all()',
      ingress: [{ action: 'Allow', source: { selector: "meshplane.io/cluster == 'us-1'" } }],
      egress: [{ action: 'Deny', destination: { notSelector: "app in {'db', 'cache'}" } }],
    },
  },
  {
    kind: 'NetworkPolicy',
    metadata: { name: 'db-from-web', namespace: 'a' },
    spec: { selector: "app == 'db'", ingress: [{ action: 'Allow', source: { selector: "app == 'web'" } }] },
  },
  {
    kind: 'NetworkPolicy',
    metadata: { name: 'cache', namespace: 'b' },
    spec: {
      tier: 'security',
      selector: "app == 'web'",
      egress: [{ action: 'Allow', destination: { selector: 'has(app)' } }],
      clusterSelector: "geo == 'eu'",
    },
  },
];

const BASE: Omit<CompilerInput, 'endpoints'> = {
  tiers: [
    { name: 'default', order: 1000, defaultAction: 'Deny' },
    { name: 'security', order: 10, defaultAction: 'Pass' },
  ],
  policies: POLICIES,
  clusters: CLUSTERS,
  zones: [{ name: 'eu', clusterSelector: "geo == 'eu'", allowedZones: [] }],
  encryption: { meshWide: { wireguardEnabled: true } },
};

const refArb: fc.Arbitrary<EndpointRef> = fc.record({
  // c9 is no cluster of the tenant: its pods are ignored.
  clusterId: fc.constantFrom('c0', 'c1', 'c2', 'c3', 'c9'),
  namespace: fc.constantFrom('a', 'b'),
  name: fc.constantFrom('p0', 'p1', 'p2', 'p3', 'p4', 'p5'),
});

const endpointArb: fc.Arbitrary<CompilerEndpoint> = fc
  .tuple(
    refArb,
    fc.record(
      { app: fc.constantFrom('web', 'db', 'cache'), 'geo-of': fc.constantFrom('eu', 'us') },
      { requiredKeys: [] },
    ),
    fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 2 }),
  )
  .map(([ref, labels, hosts]) => ({ ...ref, labels, ips: hosts.map((h) => `10.0.0.${h}`) }));

/** Lengths spread over the whole range (size 'max'), so that large batches come up as often as small ones. */
const batchArb = fc.record({
  upserted: fc.array(endpointArb, { maxLength: 40, size: 'max' }),
  removed: fc.array(refArb, { maxLength: 12, size: 'max' }),
});

/** The bundles as they are now (the compiler's map is live). */
const snapshot = (bundles: ReadonlyMap<string, ClusterBundle>) => new Map(bundles);

describe('FederationCompiler, incrementally', () => {
  it('after any sequence of endpoint changes, every bundle equals a cold compile of the final state', () => {
    fc.assert(
      fc.property(
        fc.array(endpointArb, { maxLength: 40, size: 'max' }),
        fc.array(batchArb, { maxLength: 6 }),
        (initial, batches) => {
          const state = new Map<string, CompilerEndpoint>();
          for (const endpoint of initial) state.set(endpointKey(endpoint), endpoint);
          const compiler = new FederationCompiler({ ...BASE, endpoints: initial });
          for (const batch of batches) {
            const before = snapshot(compiler.allBundles());
            const recompiled = compiler.applyEndpointChanges(batch);
            for (const ref of batch.removed) state.delete(endpointKey(ref));
            for (const endpoint of batch.upserted) state.set(endpointKey(endpoint), endpoint);

            const cold = compileBundles({ ...BASE, endpoints: [...state.values()] });
            const ids = recompiled.map((bundle) => bundle.clusterId);
            expect(ids).toEqual([...new Set(ids)].sort());
            for (const bundle of recompiled) expect(compiler.bundle(bundle.clusterId)).toBe(bundle);
            for (const [clusterId, bundle] of cold) {
              expect(compiler.bundle(clusterId)).toEqual(bundle);
              // A cluster left out of the answer had nothing to change.
              if (!ids.includes(clusterId)) expect(before.get(clusterId)).toEqual(bundle);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('holds exactly the remote pods its rule selectors match, and hashes them as bundleHash does', () => {
    fc.assert(
      fc.property(fc.array(endpointArb, { maxLength: 60, size: 'max' }), (endpoints) => {
        const latest = new Map(endpoints.map((endpoint) => [endpointKey(endpoint), endpoint]));
        const bundles = compileBundles({ ...BASE, zones: [], endpoints });
        const names = new Map(CLUSTERS.map((cluster) => [cluster.id, cluster.name]));
        const pinned = compileSelector(parseSelector("meshplane.io/cluster == 'us-1'"));
        const dbOrCache = compileSelector(parseSelector("app in {'db', 'cache'}"));
        const euDb = compileSelector(parseSelector("geo-of == 'eu' && app == 'db'"));
        const web = compileSelector(parseSelector("app == 'web'"));
        for (const cluster of CLUSTERS) {
          const expected: string[] = [];
          for (const endpoint of latest.values()) {
            const clusterName = names.get(endpoint.clusterId);
            if (clusterName === undefined || endpoint.clusterId === cluster.id) continue;
            const labels = remoteEndpointLabels(endpoint, clusterName);
            const name = remoteEndpointSetName(endpoint);
            // One set per needed pod, in its own namespace (every namespace exists here).
            const needed =
              pinned(labels) ||
              dbOrCache(labels) ||
              (cluster.labels.geo !== 'eu' && euDb(labels)) ||
              (endpoint.namespace === 'a' && web(labels)) ||
              (endpoint.namespace === 'b' && cluster.labels.geo === 'eu' && 'app' in endpoint.labels);
            if (needed) expected.push(`NetworkSet/${endpoint.namespace}/${name}`);
          }
          const bundle = bundles.get(cluster.id)!;
          const actual = bundle.objects
            .filter((o) => o.kind === 'GlobalNetworkSet' || o.kind === 'NetworkSet')
            .map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
          expect(actual.sort()).toEqual(expected.sort());
          expect(bundle.hash).toBe(bundleHash(cluster.id, bundle.objects.map(emit)));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('recompiles nothing for pods upserted exactly as they are (a snapshot after a reconnect)', () => {
    const endpoints: CompilerEndpoint[] = [
      { clusterId: 'c0', namespace: 'a', name: 'p0', labels: { app: 'db' }, ips: ['10.0.0.1'] },
      { clusterId: 'c2', namespace: 'a', name: 'p1', labels: { app: 'web' }, ips: ['10.0.0.2', '10.0.0.3'] },
    ];
    const compiler = new FederationCompiler({ ...BASE, endpoints });
    const copies = endpoints.map((e) => ({ ...e, labels: { ...e.labels }, ips: [...e.ips] }));
    expect(compiler.applyEndpointChanges({ upserted: copies })).toEqual([]);
    // Any field the compiler reads differing is a change.
    const reordered = { ...endpoints[1]!, ips: ['10.0.0.3', '10.0.0.2'] };
    const relabelled = { ...endpoints[0]!, labels: { app: 'db', extra: 'x' } };
    for (const changed of [reordered, relabelled])
      expect(compiler.applyEndpointChanges({ upserted: [changed] })).not.toEqual([]);
  });

  it('changes the hash of exactly the bundles whose objects changed', () => {
    const endpoints: CompilerEndpoint[] = [
      {
        clusterId: 'c0',
        namespace: 'a',
        name: 'p0',
        labels: { app: 'db', 'geo-of': 'eu' },
        ips: ['10.0.0.1'],
      },
      { clusterId: 'c2', namespace: 'a', name: 'p1', labels: { app: 'web' }, ips: ['10.0.0.2'] },
    ];
    const compiler = new FederationCompiler({ ...BASE, endpoints });
    const before = snapshot(compiler.allBundles());
    // Same pod, same labels, another IP: every cluster holding its set gets a new hash.
    const moved = { ...endpoints[0]!, ips: ['10.0.0.9'] };
    const recompiled = compiler.applyEndpointChanges({ upserted: [moved] });
    expect(recompiled.map((bundle) => bundle.clusterId)).toEqual(['c1', 'c2', 'c3']);
    for (const bundle of recompiled) expect(bundle.hash).not.toBe(before.get(bundle.clusterId)!.hash);
    // Back to the first IP: back to the first hashes.
    for (const bundle of compiler.applyEndpointChanges({ upserted: [endpoints[0]!] }))
      expect(bundle.hash).toBe(before.get(bundle.clusterId)!.hash);
  });
});
