import { type Policy, validatePolicy } from '@meshplane/policy';
import { describe, expect, it } from 'vitest';
import { evaluateWorld, FlowWorld } from '../shared/flow-world.js';
import type { RecordedEnd, RecordedFlow } from '../shared/recorded-flow.js';
import { policyFromInput } from '../what-if/proposed-policy-set.js';
import { labelSelector, type ObservedIngress, recommendationName, recommendPolicy } from './recommend.js';

const observed = (overrides: Partial<ObservedIngress>): ObservedIngress => ({
  srcCluster: 'west',
  srcNamespace: 'shop',
  srcType: 'wep',
  srcLabels: { app: 'web' },
  srcIp: null,
  dstLabels: { app: 'api' },
  protocol: 'tcp',
  port: 8080,
  flows: 1,
  ...overrides,
});

const end = (overrides: Partial<RecordedEnd>): RecordedEnd => ({
  cluster: 'west',
  namespace: 'shop',
  workload: 'web',
  name: 'web-1',
  type: 'wep',
  labels: { app: 'web' },
  ip: '10.0.0.1',
  serviceAccount: null,
  ...overrides,
});

describe('labelSelector', () => {
  it('selects on stable labels only, sorted, and is all() without any', () => {
    expect(
      labelSelector({ tier: 'front', app: 'web', 'pod-template-hash': 'abc', 'meshplane.io/cluster': 'x' }),
    ).toBe('app == "web" && tier == "front"');
    expect(labelSelector({ 'pod-template-hash': 'abc' })).toBe('all()');
    expect(labelSelector({ note: `it's "odd"`, app: 'x' })).toBe('app == "x"');
  });
});

describe('recommendationName', () => {
  it('is a DNS subdomain for any cluster name', () => {
    expect(recommendationName('eu-west-1')).toBe('recommended-eu-west-1');
    expect(recommendationName('EU West_1!')).toBe('recommended-eu-west-1');
    expect(recommendationName('eu-west-1', 'api')).toBe('recommended-eu-west-1-api');
  });
});

describe('recommendPolicy', () => {
  it('for one workload, selects its pods by the stable labels every observed destination shares', () => {
    const api = { app: 'api', tier: 'backend' };
    const recommendation = recommendPolicy(
      'west',
      'shop',
      [
        observed({ dstLabels: { ...api, 'pod-template-hash': 'a1' } }),
        observed({
          dstLabels: { ...api, 'pod-template-hash': 'b2', canary: 'yes' },
          srcLabels: { app: 'probe' },
        }),
      ],
      'api',
    );
    expect(recommendation?.input).toMatchObject({
      name: 'recommended-west-api',
      namespace: 'shop',
      spec: { selector: 'app == "api" && tier == "backend"', types: ['Ingress'], staged: true },
    });
    expect(recommendation?.input.spec.ingress).toHaveLength(2);
    // Nothing to learn from, or nothing stable to select on: no recommendation.
    expect(recommendPolicy('west', 'shop', [], 'api')).toBeUndefined();
    expect(
      recommendPolicy('west', 'shop', [observed({ dstLabels: { 'pod-template-hash': 'a1' } })], 'api'),
    ).toBeUndefined();
    // Without a workload, the whole namespace, as before.
    expect(recommendPolicy('west', 'shop', []).input.spec.selector).toBe('all()');
  });

  it('has one rule per destination, source and protocol, with the ports seen; peers named as the cluster sees them', () => {
    const { input, unattributed, truncated } = recommendPolicy('west', 'shop', [
      observed({ port: 8080 }),
      observed({ port: 9090 }),
      observed({ srcNamespace: 'tools', srcLabels: { app: 'probe' }, port: 8080 }),
      observed({ srcCluster: 'central', srcLabels: { app: 'worker', 'pod-template-hash': 'x' }, port: 8080 }),
      observed({
        srcCluster: null,
        srcType: 'pvt',
        srcLabels: {},
        srcIp: '192.168.1.4',
        port: 443,
        dstLabels: { app: 'gw' },
      }),
      observed({ srcCluster: null, srcType: 'pub', srcLabels: {}, srcIp: null }),
      observed({ protocol: 'udp', port: null, dstLabels: { app: 'dns' } }),
    ]);
    expect(unattributed).toBe(1);
    expect(truncated).toBe(false);
    expect(input).toMatchObject({
      kind: 'NetworkPolicy',
      name: 'recommended-west',
      namespace: 'shop',
      spec: {
        selector: 'all()',
        types: ['Ingress'],
        staged: true,
        clusterSelector: 'meshplane.io/cluster == "west"',
      },
    });
    expect(input.spec.ingress).toEqual(
      expect.arrayContaining([
        {
          action: 'Allow',
          protocol: 'TCP',
          source: { selector: 'app == "web"' },
          destination: { selector: 'app == "api"', ports: ['8080', '9090'] },
        },
        {
          action: 'Allow',
          protocol: 'TCP',
          source: { selector: 'app == "probe"', namespaceSelector: 'projectcalico.org/name == "tools"' },
          destination: { selector: 'app == "api"', ports: ['8080'] },
        },
        {
          action: 'Allow',
          protocol: 'TCP',
          source: { selector: 'app == "worker" && meshplane.io/cluster == "central"' },
          destination: { selector: 'app == "api"', ports: ['8080'] },
        },
        {
          action: 'Allow',
          protocol: 'TCP',
          source: { nets: ['192.168.1.4/32'] },
          destination: { selector: 'app == "gw"', ports: ['443'] },
        },
        // A flow seen without a port: the rule cannot narrow ports.
        {
          action: 'Allow',
          protocol: 'UDP',
          source: { selector: 'app == "web"' },
          destination: { selector: 'app == "dns"' },
        },
      ]),
    );
    expect(input.spec.ingress).toHaveLength(5);
    expect(
      validatePolicy(policyFromInput({ ...input, spec: input.spec as unknown as Record<string, unknown> })),
    ).toEqual([]);
  });

  it('keeps the most-used rules when more are needed than a policy may hold', () => {
    const many = Array.from({ length: 1_100 }, (_, i) =>
      observed({ srcLabels: { app: `client-${i}` }, flows: i === 1_099 ? 1_000 : 1 }),
    );
    const { input, truncated } = recommendPolicy('west', 'shop', many);
    expect(truncated).toBe(true);
    expect(input.spec.ingress).toHaveLength(1_024);
    expect(input.spec.ingress.some((rule) => rule.source?.selector === 'app == "client-1099"')).toBe(true);
  });

  it('enforced, allows every recorded flow it was learnt from and denies other ingress (libs/policy evaluator)', () => {
    const flows: RecordedFlow[] = [
      {
        src: end({}),
        dst: end({
          workload: 'api',
          name: 'api-1',
          labels: { app: 'api', 'pod-template-hash': 'h' },
          ip: '10.0.0.2',
        }),
      },
      {
        src: end({
          workload: 'worker',
          name: 'mp-worker',
          type: 'ns',
          cluster: 'central',
          labels: { app: 'worker' },
          ip: '10.9.0.3',
        }),
        dst: end({
          workload: 'api',
          name: 'api-1',
          labels: { app: 'api', 'pod-template-hash': 'h' },
          ip: '10.0.0.2',
        }),
      },
      {
        src: end({ workload: 'web', ip: '10.0.0.1' }),
        dst: end({ workload: 'db', name: 'db-0', labels: { app: 'db' }, ip: '10.0.0.3' }),
        port: 5432,
      },
    ].map(({ src, dst, port }, i) => ({
      clusterId: 'c',
      seq: i + 1,
      reporter: 'west',
      action: 'allow',
      protocol: 'tcp',
      port: port ?? 8080,
      source: src,
      destination: dst,
      service: null,
    }));
    const learnt = flows.map((f) =>
      observed({
        srcCluster: f.source.cluster,
        srcNamespace: f.source.namespace,
        srcType: f.source.type,
        srcLabels: f.source.labels,
        dstLabels: f.destination.labels,
        port: f.port,
      }),
    );
    const { input } = recommendPolicy('west', 'shop', learnt);
    const policy = policyFromInput({ ...input, spec: { ...input.spec, staged: false } } as never) as Policy;
    // Traffic never seen: the db from the remote worker, and the api on another port.
    const unseen: RecordedFlow[] = [
      { ...flows[1]!, seq: 10, destination: flows[2]!.destination, port: 5432 },
      { ...flows[0]!, seq: 11, port: 9999 },
    ];
    const world = new FlowWorld([...flows, ...unseen]);
    const set = { tiers: [], policies: [policy], clusters: [{ name: 'west', labels: {} }] };
    const verdicts = evaluateWorld(set, world);
    expect(verdicts.map((v) => v?.allowed)).toEqual([true, true, true, false, false]);
    // Staged as recommended, it decides nothing, but its staged verdicts match.
    const staged = evaluateWorld({ ...set, policies: [policyFromInput(input as never)] }, world);
    expect(staged.map((v) => v?.allowed)).toEqual([true, true, true, true, true]);
    expect(staged.map((v) => v?.staged.allowed)).toEqual([true, true, true, false, false]);
  });
});
