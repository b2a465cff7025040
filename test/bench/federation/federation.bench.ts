import { compileSelector, type Labels, type Policy, parseSelector } from '@meshplane/policy';
import { describe, expect, it } from 'vitest';
import { remoteEndpointLabels } from '../../../services/policies/src/compiler/calico-objects.js';
import type {
  ClusterBundle,
  CompilerCluster,
  CompilerEndpoint,
  CompilerInput,
  EndpointChanges,
} from '../../../services/policies/src/compiler/compiler.types.js';
import {
  endpointKey,
  FederationCompiler,
} from '../../../services/policies/src/compiler/federation-compiler.js';
import { rng } from '../support.js';

/**
 * Federation compile at scale. `MESHPLANE_BENCH_FEDERATION=<clusters>x<endpoints per cluster>`
 * (default 100x5000). Layout: clusters in regions of 5 (apps are deployed in every cluster of their
 * region), 50 namespaces of 10 apps per cluster, a few monitoring pods everywhere; 200 policies:
 * 150 namespaced app-to-app policies (2/3 targeted at their region), 40 global cross-cluster
 * policies naming a cluster, 10 global baselines admitting monitoring from anywhere.
 *
 * Baselines, measured in the same run:
 * - cold compile: serialising every bundle once (`JSON.stringify` of its objects, as the bundle
 *   store writes them), the least any compile must do with its output; the naive resolution (every
 *   rule selector against every endpoint, timed on a 1/20 sample and scaled) is printed beside it;
 * - one endpoint change: a full recompile of the same final state, whose bundles the incremental
 *   ones must equal (checked by hash).
 */
const [CLUSTERS, PER_CLUSTER] = (process.env.MESHPLANE_BENCH_FEDERATION ?? '100x5000')
  .split('x')
  .map(Number) as [number, number];
const NAMESPACES = 50;
const APPS_PER_NAMESPACE = 10;
const REGION_SIZE = 5;

const regionOf = (c: number) => `r${Math.floor(c / REGION_SIZE)}`;
const appName = (region: string, ns: number, app: number) => `${region}-ns${ns}-app${app}`;

function buildInput(): CompilerInput {
  const random = rng(42);
  const clusters: CompilerCluster[] = Array.from({ length: CLUSTERS }, (_, c) => ({
    id: `id-${c}`,
    name: `cluster-${c}`,
    labels: {
      geo: c < CLUSTERS / 2 ? 'eu' : 'us',
      region: regionOf(c),
      env: c % 3 === 0 ? 'staging' : 'prod',
    },
  }));
  const endpoints: CompilerEndpoint[] = [];
  for (let c = 0; c < CLUSTERS; c++) {
    for (let p = 0; p < PER_CLUSTER; p++) {
      const ns = p % NAMESPACES;
      const app = Math.floor(p / NAMESPACES) % APPS_PER_NAMESPACE;
      const monitoring = p % 1000 === 999;
      const labels: Record<string, string> = monitoring
        ? { app: 'prometheus', role: 'monitoring' }
        : {
            app: appName(regionOf(c), ns, app),
            'app.kubernetes.io/part-of': `suite-${ns}`,
            tier: app < 2 ? 'db' : app < 5 ? 'api' : 'web',
            'pod-template-hash': Math.floor(random() * 1e9).toString(36),
          };
      endpoints.push({
        clusterId: `id-${c}`,
        namespace: monitoring ? 'monitoring' : `ns-${ns}`,
        name: `pod-${p}`,
        labels,
        ips: [`10.${c}.${Math.floor(p / 256)}.${p % 256}`],
        serviceAccount: 'default',
      });
    }
  }

  const policies: Policy[] = [];
  for (let i = 0; i < 150; i++) {
    const region = regionOf(Math.floor(random() * CLUSTERS));
    const ns = Math.floor(random() * NAMESPACES);
    const pickApp = () => appName(region, ns, Math.floor(random() * APPS_PER_NAMESPACE));
    policies.push({
      kind: 'NetworkPolicy',
      metadata: { name: `app-policy-${i}`, namespace: `ns-${ns}` },
      spec: {
        tier: i % 2 === 0 ? 'application' : 'default',
        selector: `app == '${pickApp()}'`,
        ingress: [{ action: 'Allow', source: { selector: `app == '${pickApp()}'` } }],
        egress: [
          {
            action: 'Allow',
            protocol: 'TCP',
            destination: { selector: `app == '${pickApp()}'`, ports: [8080] },
          },
        ],
        ...(i % 3 === 0 ? {} : { clusterSelector: `region == '${region}'` }),
        ...(i % 10 === 0 ? { staged: true } : {}),
      },
    });
  }
  for (let i = 0; i < 40; i++) {
    const target = Math.floor(random() * CLUSTERS);
    policies.push({
      kind: 'GlobalNetworkPolicy',
      metadata: { name: `cross-${i}` },
      spec: {
        tier: 'security',
        order: i,
        selector: "tier == 'api'",
        egress: [
          {
            action: 'Allow',
            destination: { selector: `meshplane.io/cluster == 'cluster-${target}' && tier == 'db'` },
          },
        ],
        clusterSelector: `geo == '${i % 2 === 0 ? 'eu' : 'us'}'`,
      },
    });
  }
  for (let i = 0; i < 10; i++) {
    policies.push({
      kind: 'GlobalNetworkPolicy',
      metadata: { name: `baseline-${i}` },
      spec: {
        tier: 'platform',
        order: i,
        selector: 'all()',
        ingress: [{ action: 'Allow', source: { selector: "role == 'monitoring'" } }],
        types: ['Ingress'],
      },
    });
  }
  return {
    tiers: [
      { name: 'default', order: 1_000_000, defaultAction: 'Deny' },
      { name: 'platform', order: 100, defaultAction: 'Pass' },
      { name: 'security', order: 200, defaultAction: 'Pass' },
      { name: 'application', order: 500, defaultAction: 'Deny' },
    ],
    policies,
    clusters,
    endpoints,
  };
}

/** Naive resolution: every distinct rule selector against every endpoint, timed on a sample, scaled up. */
function naiveSeconds(input: CompilerInput): number {
  const clusterNames = new Map(input.clusters.map((cluster) => [cluster.id, cluster.name]));
  const selectors = new Set<string>();
  for (const policy of input.policies) {
    for (const rule of [...(policy.spec.ingress ?? []), ...(policy.spec.egress ?? [])]) {
      for (const entity of [rule.source, rule.destination])
        if (entity?.selector) selectors.add(entity.selector);
    }
  }
  const matchers = [...selectors].map((text) => compileSelector(parseSelector(text)));
  const step = 20;
  const sample: Labels[] = [];
  for (let i = 0; i < input.endpoints.length; i += step) {
    const endpoint = input.endpoints[i]!;
    sample.push(remoteEndpointLabels(endpoint, clusterNames.get(endpoint.clusterId)!));
  }
  const started = performance.now();
  let matched = 0;
  for (const labels of sample) for (const matches of matchers) if (matches(labels)) matched++;
  expect(matched).toBeGreaterThan(0);
  return ((performance.now() - started) / 1000) * step;
}

/** Serialising every bundle's objects once, as the bundle store does: seconds. */
function serialiseSeconds(bundles: readonly ClusterBundle[]): { seconds: number; bytes: number } {
  const started = performance.now();
  let bytes = 0;
  for (const bundle of bundles) bytes += JSON.stringify(bundle.objects).length;
  return { seconds: (performance.now() - started) / 1000, bytes };
}

describe('federation compile', () => {
  const input = buildInput();
  let compiler: FederationCompiler;
  let coldSeconds: number;

  it('compiles every cluster cold', () => {
    const started = performance.now();
    compiler = new FederationCompiler(input);
    coldSeconds = (performance.now() - started) / 1000;
    expect(compiler.allBundles().size).toBe(CLUSTERS);
  });

  it('recompiles only the clusters affected by one endpoint change', () => {
    // A db pod of a cluster named by cross-cluster policies (about half the clusters select it).
    const target = input.policies.find((policy) => policy.metadata.name === 'cross-0')!;
    const clusterName = /cluster-(\d+)/.exec(target.spec.egress![0]!.destination!.selector!)![1]!;
    const db = input.endpoints.find(
      (candidate) => candidate.clusterId === `id-${clusterName}` && candidate.labels.tier === 'db',
    )!;
    // A monitoring pod, which every other cluster's baselines select.
    const monitoring = input.endpoints.find((candidate) => candidate.labels.role === 'monitoring')!;
    const current = new Map(input.endpoints.map((endpoint) => [endpointKey(endpoint), endpoint]));
    // One change at a time, each timed: the figure is the slowest.
    const changes: { name: string; changes: EndpointChanges }[] = [
      { name: 'db pod IP', changes: { upserted: [{ ...db, ips: ['10.255.255.1'] }] } },
      { name: 'monitoring pod IP', changes: { upserted: [{ ...monitoring, ips: ['10.255.255.2'] }] } },
      {
        name: 'db pod relabelled api',
        changes: { upserted: [{ ...db, labels: { ...db.labels, tier: 'api' } }] },
      },
      { name: 'monitoring pod removed', changes: { removed: [monitoring] } },
      { name: 'monitoring pod back', changes: { upserted: [monitoring] } },
    ];
    const timings: string[] = [];
    let slowest = 0;
    for (const { name, changes: change } of changes) {
      const started = performance.now();
      const recompiled = compiler.applyEndpointChanges(change);
      const seconds = (performance.now() - started) / 1000;
      slowest = Math.max(slowest, seconds);
      timings.push(`${name}: ${(seconds * 1000).toFixed(0)} ms, ${recompiled.length} clusters`);
      expect(recompiled.length).toBeGreaterThan(0);
      for (const ref of change.removed ?? []) current.delete(endpointKey(ref));
      for (const endpoint of change.upserted ?? []) current.set(endpointKey(endpoint), endpoint);
    }
    const fullStarted = performance.now();
    const full = new FederationCompiler({ ...input, endpoints: [...current.values()] });
    const fullSeconds = (performance.now() - fullStarted) / 1000;
    console.log(
      `BENCH federation one endpoint change | figure ${slowest.toFixed(3)} s (slowest of ${changes.length}: ${timings.join('; ')}) | baseline ${fullSeconds.toFixed(2)} s (full recompile) | ratio ${(slowest / fullSeconds).toFixed(4)}x | target < 1 s`,
    );
    for (const [clusterId, bundle] of full.allBundles())
      expect(compiler.bundle(clusterId)!.hash, clusterId).toBe(bundle.hash);
  });

  // Measured last, so that the garbage they make does not land on the figures.
  it('prints the cold compile beside its baselines', () => {
    const bundles = [...compiler.allBundles().values()];
    const objects = bundles.reduce((sum, bundle) => sum + bundle.objects.length, 0);
    const baseline = serialiseSeconds(bundles);
    const naive = naiveSeconds(input);
    console.log(
      `BENCH federation scale | ${CLUSTERS} clusters x ${PER_CLUSTER} endpoints, ${input.policies.length} policies, ${objects} objects (${(baseline.bytes / 1e6).toFixed(0)} MB of JSON) in ${bundles.length} bundles | naive resolution (every rule selector x every endpoint, sampled 1/20) ${naive.toFixed(2)} s`,
    );
    console.log(
      `BENCH federation cold compile | figure ${coldSeconds.toFixed(2)} s | baseline ${baseline.seconds.toFixed(2)} s (JSON.stringify of every bundle once) | ratio ${(coldSeconds / baseline.seconds).toFixed(2)}x | target < 10 s`,
    );
  });
});
