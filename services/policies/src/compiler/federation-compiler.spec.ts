import { CLUSTER_LABEL, selector } from '@meshplane/policy';
import { type CalicoSchemas, loadCalicoSchemas } from '@meshplane/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BundleObject, CalicoObject, NetworkSetObject } from './calico-objects.js';
import { CompilerError } from './compiler.errors.js';
import {
  CROSS_CLUSTER_EGRESS,
  ENDPOINTS,
  EU_ONLY_STAGED,
  INPUT,
  pod,
  SHOP_DB_INGRESS,
  SHOP_WEB_EGRESS,
} from './compiler.fixtures.js';
import type { ClusterBundle } from './compiler.types.js';
import { compileBundles, FederationCompiler } from './federation-compiler.js';

const bundleOf = (bundles: ReadonlyMap<string, ClusterBundle>, id: string): ClusterBundle => bundles.get(id)!;
const names = (objects: readonly BundleObject[], kind: string) =>
  objects.filter((object) => object.kind === kind).map((object) => object.metadata.name);
const calicoObjects = (bundles: Iterable<ClusterBundle> | ReadonlyMap<string, ClusterBundle>) =>
  [...(bundles instanceof Map ? bundles.values() : (bundles as Iterable<ClusterBundle>))]
    .flatMap((bundle) => bundle.objects)
    .filter((object): object is CalicoObject => object.kind !== 'EndpointSlice');
const sets = (bundle: ClusterBundle, kind: 'GlobalNetworkSet' | 'NetworkSet') =>
  bundle.objects.filter((object): object is NetworkSetObject => object.kind === kind);

describe('FederationCompiler', () => {
  const bundles = compileBundles(INPUT);
  const us = bundleOf(bundles, 'c-us-east');
  const euWest = bundleOf(bundles, 'c-eu-west');
  const euCentral = bundleOf(bundles, 'c-eu-central');

  describe('Calico validity', () => {
    let schemas: CalicoSchemas;
    beforeAll(() => {
      schemas = loadCalicoSchemas();
    });

    it('produces only objects that validate against the Calico CRDs', () => {
      const stagedNamespaced = { ...SHOP_DB_INGRESS, spec: { ...SHOP_DB_INGRESS.spec, staged: true } };
      const withStaged = compileBundles({ ...INPUT, policies: [...INPUT.policies, stagedNamespaced] });
      const all = [...withStaged.values()].flatMap((bundle) => bundle.objects);
      expect(new Set(all.map((object) => object.kind)).size).toBe(7);
      for (const object of all)
        expect([object.metadata.name, schemas.validate(object)]).toEqual([object.metadata.name, []]);
    });
  });

  it('labels every object as managed by Meshplane', () => {
    for (const object of [...bundles.values()].flatMap((bundle) => bundle.objects)) {
      expect(object.metadata.labels).toMatchObject({
        'app.kubernetes.io/managed-by': 'meshplane',
        'meshplane.io/managed': 'true',
      });
    }
  });

  describe('targeting, staging, tiers', () => {
    it("sends a clusterSelector geo == 'eu' policy to exactly the eu clusters, as a staged kind", () => {
      const reached = [...bundles.values()]
        .filter((bundle) =>
          names(bundle.objects, 'StagedGlobalNetworkPolicy').includes('platform.eu-deny-all'),
        )
        .map((bundle) => bundle.clusterId);
      expect(reached.sort()).toEqual(['c-eu-central', 'c-eu-west']);
      expect(names(us.objects, 'GlobalNetworkPolicy')).toEqual(['security.web-to-eu-db']);
      expect(names(euWest.objects, 'GlobalNetworkPolicy')).toEqual([]);
    });

    it('sends policies without a clusterSelector everywhere', () => {
      for (const bundle of bundles.values())
        expect(names(bundle.objects, 'NetworkPolicy')).toContain('db-from-web');
    });

    it('strips clusterSelector and staged from the spec', () => {
      for (const object of calicoObjects(bundles)) {
        expect(object.spec).not.toHaveProperty('clusterSelector');
        expect(object.spec).not.toHaveProperty('staged');
      }
    });

    it('emits the tiers used in each cluster, never the default tier', () => {
      expect(names(us.objects, 'Tier')).toEqual(['security']);
      expect(names(euWest.objects, 'Tier').sort()).toEqual(['platform', 'security']);
      const platform = calicoObjects([euWest]).find((object) => object.metadata.name === 'platform')!;
      expect(platform.spec).toEqual({ defaultAction: 'Deny' });
    });

    it('prefixes policy names with their tier, except in the default tier', () => {
      expect(names(us.objects, 'NetworkPolicy').sort()).toEqual(['db-from-web', 'security.web-to-db']);
    });

    it('refuses a policy naming an unknown tier', () => {
      const stray = { ...SHOP_DB_INGRESS, spec: { ...SHOP_DB_INGRESS.spec, tier: 'nope' } };
      expect(() => compileBundles({ ...INPUT, policies: [stray] })).toThrow(CompilerError);
    });
  });

  describe('remote endpoints as network sets', () => {
    it("resolves meshplane.io/cluster == 'eu-west-1' && app == 'db' to exactly eu-west-1's db pods, for us-east-1", () => {
      const rule = selector("meshplane.io/cluster == 'eu-west-1' && app == 'db'");
      const matched = [...sets(us, 'NetworkSet'), ...sets(us, 'GlobalNetworkSet')].filter((set) =>
        rule.matches(set.metadata.labels),
      );
      const nets = matched.flatMap((set) => set.spec.nets).sort();
      expect(nets).toEqual(['10.1.0.10/32', '10.1.0.11/32', '10.1.1.10/32', 'fd00:1::11/128']);
      // Each pod once, in its own namespace where us-east-1 has it (shop), else globally (billing).
      expect(matched.map((set) => `${set.kind}/${set.metadata.namespace ?? ''}`).sort()).toEqual([
        'GlobalNetworkSet/',
        'NetworkSet/shop',
        'NetworkSet/shop',
      ]);
      expect(matched[0]!.metadata.labels).toMatchObject({ [CLUSTER_LABEL]: 'eu-west-1', app: 'db' });
    });

    it('publishes every namespace as existing when the input names no namespaces', () => {
      const { namespaces: _namespaces, ...rest } = INPUT;
      const bundle = compileBundles(rest).get('c-us-east')!;
      expect(sets(bundle, 'GlobalNetworkSet')).toEqual([]);
      expect(sets(bundle, 'NetworkSet').map((set) => set.metadata.namespace)).toContain('billing');
    });

    it('puts the remote sets of a namespaced policy in its namespace, with same-namespace pods only', () => {
      const namespaced = sets(us, 'NetworkSet');
      expect(namespaced.every((set) => set.metadata.namespace === 'shop')).toBe(true);
      // web-to-db (app == 'db') and db-from-web (app == 'web') in shop; billing's db is not there.
      expect(namespaced.flatMap((set) => set.spec.nets).sort()).toEqual([
        '10.1.0.10/32',
        '10.1.0.11/32',
        '10.1.0.20/32',
        '10.2.0.10/32',
        'fd00:1::11/128',
      ]);
    });

    it('never sends a cluster its own pods as sets', () => {
      const own = ['10.1.0.10/32', '10.1.0.20/32', '10.1.1.10/32'];
      const nets = [...sets(euWest, 'NetworkSet'), ...sets(euWest, 'GlobalNetworkSet')].flatMap(
        (s) => s.spec.nets,
      );
      for (const net of own) expect(nets).not.toContain(net);
      expect(nets.sort()).toEqual(['10.2.0.10/32', '10.3.0.10/32', '10.3.0.20/32']);
    });

    it('emits no sets where no rule selects remote pods', () => {
      const input = { ...INPUT, policies: [EU_ONLY_STAGED] };
      const euOnly = compileBundles(input).get('c-eu-west')!;
      expect(euOnly.objects.map((object) => object.kind)).toEqual(['Tier', 'StagedGlobalNetworkPolicy']);
    });
  });

  describe('determinism and incrementality', () => {
    it('gives identical bundles and hashes for the same input, in any order', () => {
      const shuffled = {
        tiers: [...INPUT.tiers].reverse(),
        policies: [...INPUT.policies].reverse(),
        clusters: [...INPUT.clusters].reverse(),
        endpoints: [...INPUT.endpoints].reverse(),
        namespaces: [...INPUT.namespaces!].reverse(),
      };
      const again = compileBundles(shuffled);
      for (const [id, bundle] of bundles) expect(again.get(id)).toEqual(bundle);
    });

    it('gives different clusters different hashes and a 64-hex sha256', () => {
      expect(new Set([us.hash, euWest.hash, euCentral.hash]).size).toBe(3);
      expect(us.hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('recompiles only the clusters that reference a changed pod', () => {
      const compiler = new FederationCompiler(INPUT);
      // eu-central-1's shop db is selected by namespaced rules everywhere; us-east-1's global rule names eu-west-1 only.
      const moved = pod('c-eu-central', 'shop', 'db-0', { app: 'db' }, ['10.2.0.99']);
      const recompiled = compiler.applyEndpointChanges({ upserted: [moved] });
      expect(recompiled.map((bundle) => bundle.clusterId)).toEqual(['c-eu-west', 'c-us-east']);
      expect(compiler.bundle('c-us-east')!.hash).not.toBe(us.hash);
      expect(compiler.bundle('c-eu-central')!.hash).toBe(euCentral.hash);
      // The incremental result equals a full compile of the new state.
      const endpoints = ENDPOINTS.map((e) =>
        e.clusterId === 'c-eu-central' && e.name === 'db-0' ? moved : e,
      );
      const full = compileBundles({ ...INPUT, endpoints });
      for (const bundle of recompiled) expect(bundle).toEqual(full.get(bundle.clusterId));
    });

    it('recompiles nothing when a pod no rule selects changes', () => {
      const compiler = new FederationCompiler({ ...INPUT, policies: [CROSS_CLUSTER_EGRESS] });
      const unrelated = pod('c-eu-central', 'shop', 'cache-0', { app: 'cache' }, ['10.2.0.50']);
      expect(compiler.applyEndpointChanges({ upserted: [unrelated] })).toEqual([]);
    });

    it('drops the set of a removed pod and picks up a relabelled one', () => {
      const compiler = new FederationCompiler({ ...INPUT, policies: [CROSS_CLUSTER_EGRESS] });
      const [afterRemoval] = compiler.applyEndpointChanges({
        removed: [{ clusterId: 'c-eu-west', namespace: 'shop', name: 'db-0' }],
      });
      expect(sets(afterRemoval!, 'NetworkSet').flatMap((set) => set.spec.nets)).not.toContain('10.1.0.10/32');
      const [afterRelabel] = compiler.applyEndpointChanges({
        upserted: [pod('c-eu-west', 'shop', 'web-0', { app: 'db' }, ['10.1.0.20'])],
      });
      expect(sets(afterRelabel!, 'NetworkSet').flatMap((set) => set.spec.nets)).toContain('10.1.0.20/32');
    });

    it('treats the policy set as a whole: the same shop rule in two policies yields one set per pod', () => {
      const twice = { ...SHOP_WEB_EGRESS, metadata: { name: 'web-to-db-2', namespace: 'shop' } };
      const bundle = compileBundles({ ...INPUT, policies: [SHOP_WEB_EGRESS, twice] }).get('c-us-east')!;
      expect(sets(bundle, 'NetworkSet')).toHaveLength(3);
    });
  });
});
