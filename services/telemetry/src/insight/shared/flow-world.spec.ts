import type { Policy } from '@meshplane/policy';
import { describe, expect, it } from 'vitest';
import {
  type EvaluatedPolicySet,
  evaluateWorld,
  FlowWorld,
  traceLines,
  tracePolicyNames,
} from './flow-world.js';
import type { RecordedEnd, RecordedFlow } from './recorded-flow.js';

const end = (overrides: Partial<RecordedEnd>): RecordedEnd => ({
  cluster: 'west',
  namespace: 'shop',
  workload: 'web',
  name: 'web-*',
  type: 'wep',
  labels: { app: 'web' },
  ip: '10.1.0.1',
  serviceAccount: null,
  ...overrides,
});

const recorded = (
  seq: number,
  reporter: string,
  source: RecordedEnd,
  destination: RecordedEnd,
  protocol = 'tcp',
): RecordedFlow => ({
  clusterId: reporter,
  seq,
  reporter,
  action: 'allow',
  protocol,
  port: 8080,
  source,
  destination,
  service: null,
});

const eastApi = end({
  cluster: 'east',
  workload: 'api',
  name: 'api-*',
  labels: { app: 'api' },
  ip: '10.2.0.9',
});
/** Denies everything into east's api, and (in west) egress to east's api by its cluster label. */
const policies: Policy[] = [
  {
    kind: 'NetworkPolicy',
    metadata: { name: 'lock-api', namespace: 'shop' },
    spec: { selector: "app == 'api'", types: ['Ingress'], clusterSelector: "meshplane.io/cluster == 'east'" },
  },
  {
    kind: 'NetworkPolicy',
    metadata: { name: 'no-east-api', namespace: 'shop' },
    spec: {
      selector: "app == 'web'",
      clusterSelector: "meshplane.io/cluster == 'west'",
      egress: [
        { action: 'Deny', destination: { selector: "app == 'api' && meshplane.io/cluster == 'east'" } },
        { action: 'Allow' },
      ],
    },
  },
];
const set = {
  tiers: [],
  policies,
  clusters: [
    { name: 'west', labels: {} },
    { name: 'east', labels: {} },
  ],
};

describe('FlowWorld: recorded flows as their reporting cluster saw them', () => {
  it("judges each flow by the policies of the cluster that saw it, with remote peers as Meshplane's network sets", () => {
    const world = new FlowWorld([
      // east's own flow into its api: east's ingress policy applies.
      recorded(
        1,
        'east',
        end({ cluster: 'east', workload: 'worker', labels: { app: 'worker' }, ip: '10.2.0.3' }),
        eastApi,
      ),
      // west reports its web reaching east's api through the network set Meshplane installed.
      recorded(2, 'west', end({}), { ...eastApi, type: 'ns', name: 'mp-east-api' }),
      // west reports the same address as a private one: east's ingress does not judge west's
      // record, but west's policies see the address through the network set west holds for it.
      recorded(
        3,
        'west',
        end({}),
        end({ cluster: null, type: 'pvt', name: 'pvt', workload: 'pvt', labels: {}, ip: '10.2.0.9' }),
      ),
      recorded(4, 'west', end({}), eastApi, 'gre'),
    ]);
    const verdicts = evaluateWorld(set, world);
    expect(verdicts.map((v) => v?.allowed)).toEqual([false, false, false, undefined]);
    expect(verdicts[0]?.ingress?.trace.at(-1)).toMatchObject({ kind: 'tier-default', action: 'Deny' });
    expect(verdicts[1]?.egress?.trace[0]).toMatchObject({
      policy: 'shop/no-east-api',
      ruleIndex: 0,
      action: 'Deny',
    });
    expect(verdicts[1]?.ingress).toBeUndefined();
    expect(verdicts[2]?.ingress).toBeUndefined();
    expect(verdicts[2]?.egress?.trace[0]).toMatchObject({ policy: 'shop/no-east-api', action: 'Deny' });
    // Without that network set, the bare address is nothing west's selectors can name.
    const alone = evaluateWorld(
      set,
      new FlowWorld([
        recorded(5, 'west', end({}), { ...end({}), cluster: null, type: 'pvt', labels: {}, ip: '10.2.0.9' }),
        recorded(6, 'east', end({ cluster: 'east', ip: '10.2.0.3' }), eastApi),
      ]),
    );
    expect(alone[0]).toMatchObject({ allowed: true });
    expect(alone[0]?.ingress).toBeUndefined();
    const remote = world.endpoints().find((e) => e.kind === 'networkset');
    expect(remote).toMatchObject({
      cluster: 'west',
      namespace: 'shop',
      labels: { app: 'api', 'meshplane.io/cluster': 'east', 'meshplane.io/namespace': 'shop' },
      ips: ['10.2.0.9/32'],
    });
  });

  it('gathers the addresses an aggregated workload used into one endpoint', () => {
    const world = new FlowWorld([
      recorded(1, 'west', end({ ip: '10.1.0.1' }), eastApi),
      recorded(2, 'west', end({ ip: '10.1.0.2' }), eastApi),
    ]);
    const web = world.endpoints().filter((e) => e.labels.app === 'web');
    expect(web).toHaveLength(1);
    expect(web[0]!.ips).toEqual(['10.1.0.1', '10.1.0.2']);
  });

  it('records the ports and protocols an endpoint was reached on through a Service, as its EndpointSlice ports', () => {
    const api = end({ workload: 'api', name: 'api-*', labels: { app: 'api' }, ip: '10.1.0.9' });
    const service = { namespace: 'shop', name: 'api' };
    const world = new FlowWorld([
      { ...recorded(1, 'west', end({}), api), service },
      { ...recorded(2, 'west', end({}), api), service, port: 53, protocol: 'udp' },
      { ...recorded(3, 'west', end({}), api), service },
      { ...recorded(4, 'west', end({}), api, 'icmp'), service, port: null },
    ]);
    const endpoint = world.endpoints().find((e) => e.labels.app === 'api');
    expect(endpoint?.services).toEqual([
      {
        name: 'api',
        namespace: 'shop',
        ports: [
          { port: 8080, protocol: 'TCP' },
          { port: 53, protocol: 'UDP' },
        ],
      },
    ]);
    const onlyToApi: EvaluatedPolicySet = {
      tiers: [],
      clusters: [],
      policies: [
        {
          kind: 'NetworkPolicy',
          metadata: { name: 'web-out', namespace: 'shop' },
          spec: {
            selector: "app == 'web'",
            egress: [{ action: 'Allow', destination: { services: { name: 'api' } } }],
          },
        },
      ],
    };
    expect(evaluateWorld(onlyToApi, world).map((v) => v?.allowed)).toEqual([true, true, true, false]);
  });
});

describe('traceLines', () => {
  it('names each policy as the API does: generated compliance policies `isolation`, no tier prefix', () => {
    const rule = (tier: string, policy: string) =>
      ({
        kind: 'rule',
        tier,
        policy,
        policyKind: policy.includes('/') ? 'NetworkPolicy' : 'GlobalNetworkPolicy',
        staged: false,
        ruleIndex: 0,
        action: 'Pass',
      }) as const;
    const names = tracePolicyNames({
      tiers: [],
      clusters: [],
      zones: [],
      policies: [
        {
          id: null,
          generated: true,
          kind: 'GlobalNetworkPolicy',
          metadata: { name: 'meshplane-compliance.isolation.west' },
          spec: {},
        },
      ],
    });
    const lines = traceLines(
      {
        allowed: false,
        egress: {
          endpoint: 'web',
          direction: 'Egress',
          action: 'Deny',
          trace: [
            rule('meshplane-compliance', 'meshplane-compliance.isolation.west'),
            rule('security', 'shop/security.legacy'),
            { ...rule('security', 'shop/deny-db'), action: 'Deny' },
          ],
        },
      },
      names,
    );
    expect(lines).toEqual([
      'egress: tier meshplane-compliance: GlobalNetworkPolicy isolation rule 0 → Pass',
      'egress: tier security: NetworkPolicy shop/legacy rule 0 → Pass',
      'egress: tier security: NetworkPolicy shop/deny-db rule 0 → Deny',
    ]);
  });
});
