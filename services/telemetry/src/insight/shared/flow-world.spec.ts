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
  it("judges each flow by the policies of both clusters it crosses, with remote peers as Meshplane's network sets", () => {
    const world = new FlowWorld([
      // east's own flow into its api: east's ingress policy applies.
      recorded(
        1,
        'east',
        end({ cluster: 'east', workload: 'worker', labels: { app: 'worker' }, ip: '10.2.0.3' }),
        eastApi,
      ),
      // west reports its web reaching east's api through the network set Meshplane installed:
      // west's egress and east's ingress both judge it.
      recorded(2, 'west', end({}), { ...eastApi, type: 'ns', name: 'mp-east-api' }),
      // west reports an address no pod of the tenant was resolved to: no ingress judges it, but
      // west's policies see the address through the network set west holds for east's api.
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
    expect(verdicts[1]?.ingress?.trace.at(-1)).toMatchObject({ kind: 'tier-default', action: 'Deny' });
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
    const views = world.endpoints().filter((e) => e.kind === 'networkset');
    expect(views.find((e) => e.cluster === 'west')).toMatchObject({
      namespace: 'shop',
      labels: { app: 'api', 'meshplane.io/cluster': 'east', 'meshplane.io/namespace': 'shop' },
      ips: ['10.2.0.9/32'],
    });
    // ... and east's view of west's web, which east's ingress saw the flow come from.
    expect(views.find((e) => e.cluster === 'east')).toMatchObject({
      namespace: 'shop',
      labels: { app: 'web', 'meshplane.io/cluster': 'west', 'meshplane.io/namespace': 'shop' },
      ips: ['10.1.0.1/32'],
    });
  });

  it('lets the destination cluster deny a flow only the source cluster recorded, and the reverse', () => {
    const denyAllIngress: EvaluatedPolicySet = {
      tiers: [],
      clusters: set.clusters,
      policies: [
        {
          kind: 'NetworkPolicy',
          metadata: { name: 'lockdown', namespace: 'shop' },
          spec: {
            selector: "app == 'api'",
            types: ['Ingress'],
            clusterSelector: "meshplane.io/cluster == 'east'",
          },
        },
        {
          kind: 'NetworkPolicy',
          metadata: { name: 'no-egress', namespace: 'shop' },
          spec: {
            selector: "app == 'web'",
            types: ['Egress'],
            clusterSelector: "meshplane.io/cluster == 'west'",
          },
        },
      ],
    };
    const verdicts = evaluateWorld(
      denyAllIngress,
      new FlowWorld([
        // Only west (the source) recorded this one, east's api resolved by its address.
        recorded(1, 'west', end({}), { ...eastApi, type: 'pvt', name: 'api-1' }),
        // Only east (the destination) recorded this one, west's web seen through its network set.
        {
          ...recorded(2, 'east', { ...end({}), type: 'ns', name: 'mp-west-web' }, eastApi),
          action: 'allow',
        },
      ]),
    );
    expect(verdicts[0]?.ingress?.trace.at(-1)).toMatchObject({ kind: 'tier-default', action: 'Deny' });
    expect(verdicts[1]?.egress?.trace.at(-1)).toMatchObject({ kind: 'tier-default', action: 'Deny' });
    expect(verdicts.map((v) => v?.allowed)).toEqual([false, false]);
  });

  it("matches namespaces by their labels in each cluster, and sees another cluster's pod as Calico there would", () => {
    const lockdown: EvaluatedPolicySet = {
      tiers: [],
      clusters: set.clusters,
      policies: [
        {
          kind: 'GlobalNetworkPolicy',
          metadata: { name: 'pci-lockdown' },
          spec: { namespaceSelector: "compliance == 'pci'", types: ['Ingress'] },
        },
      ],
    };
    const local = [
      recorded(
        1,
        'west',
        end({}),
        end({ workload: 'api', name: 'api-*', labels: { app: 'api' }, ip: '10.1.0.9' }),
      ),
    ];
    const pciShop = new Map([
      ['west', new Map([['shop', { compliance: 'pci' }]])],
      ['east', new Map([['shop', {}]])],
    ]);
    // West's shop is a PCI namespace: nothing reaches into it. Without the namespace's labels
    // the policy selects nothing (what-if predicted no change before).
    expect(evaluateWorld(lockdown, new FlowWorld(local, pciShop))[0]?.allowed).toBe(false);
    expect(evaluateWorld(lockdown, new FlowWorld(local))[0]?.allowed).toBe(true);

    // West's web may only reach PCI namespaces. East's api is published in west as a network set
    // in west's own shop namespace, which is PCI there: allowed. Were there no shop in west, the
    // set would be global, and no namespaceSelector other than global() matches it: denied.
    const toPciOnly: EvaluatedPolicySet = {
      tiers: [],
      clusters: set.clusters,
      policies: [
        {
          kind: 'GlobalNetworkPolicy',
          metadata: { name: 'west-web-to-pci-only' },
          spec: {
            selector: "app == 'web'",
            types: ['Egress'],
            clusterSelector: "meshplane.io/cluster == 'west'",
            egress: [{ action: 'Allow', destination: { namespaceSelector: "compliance == 'pci'" } }],
          },
        },
      ],
    };
    const across = [recorded(2, 'west', end({}), eastApi)];
    expect(evaluateWorld(toPciOnly, new FlowWorld(across, pciShop))[0]?.allowed).toBe(true);
    const noShop = new FlowWorld(
      across,
      new Map([
        ['west', new Map()],
        ['east', new Map([['shop', {}]])],
      ]),
    );
    const verdict = evaluateWorld(toPciOnly, noShop)[0];
    expect(verdict?.allowed).toBe(false);
    expect(verdict?.egress?.trace.at(-1)).toMatchObject({ kind: 'tier-default', action: 'Deny' });
    const view = noShop.endpoints().find((e) => e.kind === 'networkset' && e.cluster === 'west');
    expect(view?.namespace).toBeUndefined();
    expect(view?.labels['meshplane.io/namespace']).toBe('shop');
  });

  it('sees a peer of a cluster the tenant no longer has as a bare address', () => {
    const world = new FlowWorld(
      [recorded(1, 'west', end({}), eastApi)],
      new Map([['west', new Map([['shop', {}]])]]),
    );
    expect(world.endpoints().map((e) => `${e.cluster}/${e.kind}`)).toEqual(['west/workload']);
    expect(world.flows[0]?.destination).toEqual({ ip: '10.2.0.9', cluster: '\u0000outside' });
  });

  it('gathers the addresses an aggregated workload used into one endpoint', () => {
    const world = new FlowWorld([
      recorded(1, 'west', end({ ip: '10.1.0.1' }), eastApi),
      recorded(2, 'west', end({ ip: '10.1.0.2' }), eastApi),
    ]);
    const web = world.endpoints().filter((e) => e.kind === 'workload' && e.labels.app === 'web');
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
      namespaces: [],
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
