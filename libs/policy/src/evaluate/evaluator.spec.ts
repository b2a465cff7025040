import { describe, expect, it } from 'vitest';
import type { Cluster, Endpoint } from '../model/endpoint.js';
import type { Flow } from '../model/flow.js';
import type { GlobalPolicySpec, Policy, PolicySpec } from '../model/policy.js';
import type { Rule } from '../model/rule.js';
import type { Tier } from '../model/tier.js';
import { EvaluationError } from './evaluate.errors.js';
import { evaluateFlow, PolicyEvaluator } from './evaluator.js';
import { formatTrace, type SideVerdict } from './trace.js';

const clusters: Cluster[] = [
  { name: 'c1', labels: { region: 'eu' } },
  { name: 'c2', labels: { region: 'us' } },
];

const endpoints: Endpoint[] = [
  {
    id: 'web',
    kind: 'workload',
    cluster: 'c1',
    namespace: 'shop',
    labels: { app: 'web' },
    namespaceLabels: { team: 'shop' },
    serviceAccount: { name: 'web-sa', labels: { role: 'frontend' } },
    ips: ['10.0.1.1', 'fd00::1:1'],
    namedPorts: [{ name: 'http', protocol: 'TCP', port: 8080 }],
  },
  {
    id: 'api',
    kind: 'workload',
    cluster: 'c1',
    namespace: 'shop',
    labels: { app: 'api' },
    namespaceLabels: { team: 'shop' },
    serviceAccount: { name: 'api-sa' },
    ips: ['10.0.1.2'],
    namedPorts: [{ name: 'http', protocol: 'TCP', port: 9090 }],
    services: [
      { name: 'api', namespace: 'shop', ports: [{ port: 9090 }, { port: 53, protocol: 'UDP' }] },
      { name: 'api-unready', namespace: 'shop' },
    ],
  },
  {
    id: 'db',
    kind: 'workload',
    cluster: 'c1',
    namespace: 'data',
    labels: { app: 'db' },
    namespaceLabels: { team: 'data' },
    ips: ['10.0.2.1'],
  },
  { id: 'gateway', kind: 'host', cluster: 'c1', labels: { role: 'gateway' }, ips: ['192.168.0.10'] },
  {
    id: 'remote-api',
    kind: 'workload',
    cluster: 'c2',
    namespace: 'shop',
    labels: { app: 'api' },
    ips: ['10.1.1.2'],
  },
  {
    id: 'remote-api-in-c1',
    kind: 'networkset',
    cluster: 'c1',
    namespace: 'shop',
    labels: { app: 'api', 'meshplane.io/cluster': 'c2' },
    ips: ['10.1.1.2/32'],
  },
  { id: 'corp', kind: 'networkset', cluster: 'c1', labels: { kind: 'corp' }, ips: ['203.0.113.0/24'] },
  {
    id: 'corp-office',
    kind: 'networkset',
    cluster: 'c1',
    labels: { kind: 'office' },
    ips: ['203.0.113.128/25'],
  },
];

const gnp = (name: string, spec: GlobalPolicySpec): Policy => ({
  kind: 'GlobalNetworkPolicy',
  metadata: { name },
  spec,
});
const np = (namespace: string, name: string, spec: PolicySpec): Policy => ({
  kind: 'NetworkPolicy',
  metadata: { name, namespace },
  spec,
});
const allowIngress = (rule: Omit<Rule, 'action'> = {}): Rule => ({ action: 'Allow', ...rule });

/** web → api over TCP 9090 unless a case says otherwise. */
const webToApi: Flow = {
  source: { endpoint: 'web' },
  destination: { endpoint: 'api' },
  protocol: 'TCP',
  destinationPort: 9090,
};

interface Case {
  readonly name: string;
  readonly tiers?: Tier[];
  readonly policies: Policy[];
  readonly flow?: Flow;
  /** Formatted trace of the destination's ingress; undefined = no ingress evaluated. */
  readonly ingress?: string[] | undefined;
  /** Formatted trace of the source's egress; when omitted, not checked. */
  readonly egress?: string[] | null;
  readonly stagedIngress?: string[];
  readonly allowed?: boolean;
}

const cases: Case[] = [
  {
    name: 'no tier applies: pods are allowed both ways',
    policies: [],
    ingress: ['no tier applies → Allow'],
    egress: ['no tier applies → Allow'],
    allowed: true,
  },
  {
    name: 'an Allow rule decides',
    policies: [
      np('shop', 'api-in', {
        selector: "app == 'api'",
        ingress: [allowIngress({ source: { selector: "app == 'web'" } })],
      }),
    ],
    ingress: ['tier default: NetworkPolicy shop/api-in rule 0 → Allow'],
  },
  {
    name: 'a tier that applies but matches nothing takes its default action (Deny)',
    policies: [
      np('shop', 'api-in', {
        selector: "app == 'api'",
        ingress: [allowIngress({ source: { selector: "app == 'db'" } })],
      }),
    ],
    ingress: ['tier default: no rule decided → tier default Deny'],
    allowed: false,
  },
  {
    name: 'Pass jumps to the next applicable tier',
    tiers: [{ name: 'security', order: 100 }],
    policies: [
      gnp('security.pass', { tier: 'security', selector: 'all()', ingress: [{ action: 'Pass' }] }),
      np('shop', 'api-in', { selector: "app == 'api'", ingress: [allowIngress()] }),
    ],
    ingress: [
      'tier security: GlobalNetworkPolicy security.pass rule 0 → Pass',
      'tier default: NetworkPolicy shop/api-in rule 0 → Allow',
    ],
  },
  {
    name: 'a tier with default action Pass hands over to the next tier',
    tiers: [{ name: 'platform', order: 10, defaultAction: 'Pass' }],
    policies: [
      gnp('platform.db-only', {
        tier: 'platform',
        selector: 'all()',
        ingress: [allowIngress({ source: { selector: "app == 'db'" } })],
      }),
      np('shop', 'api-in', { selector: "app == 'api'", ingress: [{ action: 'Deny' }] }),
    ],
    ingress: [
      'tier platform: no rule decided → tier default Pass',
      'tier default: NetworkPolicy shop/api-in rule 0 → Deny',
    ],
    allowed: false,
  },
  {
    name: 'passing the last tier ends at the Kubernetes profile, which allows pods',
    tiers: [{ name: 'platform', order: 10, defaultAction: 'Pass' }],
    policies: [
      gnp('platform.nothing', {
        tier: 'platform',
        ingress: [allowIngress({ source: { selector: "app == 'db'" } })],
      }),
    ],
    ingress: ['tier platform: no rule decided → tier default Pass', 'passed by every tier → profile Allow'],
  },
  {
    name: 'Log continues to the next rule',
    policies: [
      np('shop', 'api-in', {
        ingress: [{ action: 'Log' }, { action: 'Deny', protocol: 'UDP' }, allowIngress()],
      }),
    ],
    ingress: [
      'tier default: NetworkPolicy shop/api-in rule 0 → Log',
      'tier default: NetworkPolicy shop/api-in rule 2 → Allow',
    ],
  },
  {
    name: 'tiers apply lower order first, no order last',
    tiers: [{ name: 'last' }, { name: 'first', order: 5 }],
    policies: [
      gnp('last.deny', { tier: 'last', ingress: [{ action: 'Deny' }] }),
      gnp('first.allow', { tier: 'first', ingress: [allowIngress()] }),
    ],
    ingress: ['tier first: GlobalNetworkPolicy first.allow rule 0 → Allow'],
  },
  {
    name: 'tiers with equal order apply by name',
    tiers: [
      { name: 'b', order: 5 },
      { name: 'a', order: 5 },
    ],
    policies: [
      gnp('b.deny', { tier: 'b', ingress: [{ action: 'Deny' }] }),
      gnp('a.allow', { tier: 'a', ingress: [allowIngress()] }),
    ],
    ingress: ['tier a: GlobalNetworkPolicy a.allow rule 0 → Allow'],
  },
  {
    name: 'the default tier (order 1000000) comes after ordered tiers and before unordered ones',
    tiers: [{ name: 'late' }, { name: 'early', order: 999_999 }],
    policies: [
      gnp('late.allow', { tier: 'late', ingress: [allowIngress()] }),
      gnp('early.pass', { tier: 'early', ingress: [{ action: 'Pass' }] }),
      gnp('default.log', { ingress: [{ action: 'Log' }, { action: 'Pass' }] }),
    ],
    ingress: [
      'tier early: GlobalNetworkPolicy early.pass rule 0 → Pass',
      'tier default: GlobalNetworkPolicy default.log rule 0 → Log',
      'tier default: GlobalNetworkPolicy default.log rule 1 → Pass',
      'tier late: GlobalNetworkPolicy late.allow rule 0 → Allow',
    ],
  },
  {
    name: 'inside a tier, policies apply by order, then no order, ties by name',
    policies: [
      gnp('z-unordered', { ingress: [{ action: 'Deny' }] }),
      gnp('b-second', { order: 20, ingress: [{ action: 'Log' }] }),
      gnp('a-second', { order: 20, ingress: [{ action: 'Log' }] }),
      gnp('first', { order: 10, ingress: [{ action: 'Log' }] }),
    ],
    ingress: [
      'tier default: GlobalNetworkPolicy first rule 0 → Log',
      'tier default: GlobalNetworkPolicy a-second rule 0 → Log',
      'tier default: GlobalNetworkPolicy b-second rule 0 → Log',
      'tier default: GlobalNetworkPolicy z-unordered rule 0 → Deny',
    ],
    allowed: false,
  },
  {
    name: 'Deny ends evaluation even when a later tier would allow',
    tiers: [{ name: 'security', order: 1 }],
    policies: [
      gnp('security.deny', { tier: 'security', ingress: [{ action: 'Deny' }] }),
      gnp('allow', { ingress: [allowIngress()] }),
    ],
    ingress: ['tier security: GlobalNetworkPolicy security.deny rule 0 → Deny'],
    allowed: false,
  },
  {
    name: 'a staged policy never decides but is reported',
    policies: [
      gnp('allow', { order: 10, ingress: [allowIngress()] }),
      gnp('lockdown', { order: 1, staged: true, ingress: [{ action: 'Deny' }] }),
    ],
    ingress: ['tier default: GlobalNetworkPolicy allow rule 0 → Allow'],
    stagedIngress: ['tier default: staged GlobalNetworkPolicy lockdown rule 0 → Deny'],
    allowed: true,
  },
  {
    name: 'a staged policy stands in for the enforced policy of the same name',
    policies: [
      gnp('api', { ingress: [allowIngress()] }),
      gnp('api', { staged: true, ingress: [allowIngress({ protocol: 'UDP' })] }),
    ],
    ingress: ['tier default: GlobalNetworkPolicy api rule 0 → Allow'],
    stagedIngress: ['tier default: no rule decided → tier default Deny'],
  },
  {
    name: 'a namespaced policy applies only to endpoints of its namespace',
    policies: [np('data', 'deny-all', { selector: 'all()', ingress: [{ action: 'Deny' }] })],
    ingress: ['no tier applies → Allow'],
  },
  {
    name: "a namespaced policy's rule selector matches only its own namespace",
    policies: [np('data', 'db-in', { ingress: [allowIngress({ source: { selector: "app == 'web'" } })] })],
    flow: {
      source: { endpoint: 'web' },
      destination: { endpoint: 'db' },
      protocol: 'TCP',
      destinationPort: 5432,
    },
    ingress: ['tier default: no rule decided → tier default Deny'],
  },
  {
    name: "a rule's namespaceSelector widens a namespaced policy to other namespaces",
    policies: [
      np('data', 'db-in', {
        ingress: [
          allowIngress({ source: { selector: "app == 'web'", namespaceSelector: "team == 'shop'" } }),
        ],
      }),
    ],
    flow: {
      source: { endpoint: 'web' },
      destination: { endpoint: 'db' },
      protocol: 'TCP',
      destinationPort: 5432,
    },
    ingress: ['tier default: NetworkPolicy data/db-in rule 0 → Allow'],
  },
  {
    name: 'namespaceSelector all() matches any namespaced endpoint',
    policies: [np('data', 'db-in', { ingress: [allowIngress({ source: { namespaceSelector: 'all()' } })] })],
    flow: {
      source: { endpoint: 'web' },
      destination: { endpoint: 'db' },
      protocol: 'TCP',
      destinationPort: 5432,
    },
    ingress: ['tier default: NetworkPolicy data/db-in rule 0 → Allow'],
  },
  {
    name: "a global policy's rule selector matches across namespaces",
    policies: [
      gnp('db-in', {
        selector: "app == 'db'",
        ingress: [allowIngress({ source: { selector: "app == 'web'" } })],
      }),
    ],
    flow: {
      source: { endpoint: 'web' },
      destination: { endpoint: 'db' },
      protocol: 'TCP',
      destinationPort: 5432,
    },
    ingress: ['tier default: GlobalNetworkPolicy db-in rule 0 → Allow'],
  },
  {
    name: 'namespaceSelector global() matches only non-namespaced entities (here a GlobalNetworkSet)',
    policies: [
      gnp('in', {
        ingress: [allowIngress({ source: { namespaceSelector: 'global()', selector: "kind == 'corp'" } })],
      }),
    ],
    flow: {
      source: { ip: '203.0.113.7' },
      destination: { endpoint: 'api' },
      protocol: 'TCP',
      destinationPort: 9090,
    },
    ingress: ['tier default: GlobalNetworkPolicy in rule 0 → Allow'],
    egress: null,
  },
  {
    name: 'namespaceSelector global() does not match namespaced endpoints',
    policies: [gnp('in', { ingress: [allowIngress({ source: { namespaceSelector: 'global()' } })] })],
    ingress: ['tier default: no rule decided → tier default Deny'],
  },
  {
    name: 'the most specific network set holding an address is the one matched',
    policies: [gnp('in', { ingress: [allowIngress({ source: { selector: "kind == 'office'" } })] })],
    flow: {
      source: { ip: '203.0.113.200' },
      destination: { endpoint: 'api' },
      protocol: 'TCP',
      destinationPort: 9090,
    },
    ingress: ['tier default: GlobalNetworkPolicy in rule 0 → Allow'],
  },
  {
    name: 'an unknown external address matches no selector',
    policies: [gnp('in', { ingress: [allowIngress({ source: { selector: 'all()' } })] })],
    flow: {
      source: { ip: '8.8.8.8' },
      destination: { endpoint: 'api' },
      protocol: 'TCP',
      destinationPort: 9090,
    },
    ingress: ['tier default: no rule decided → tier default Deny'],
  },
  {
    name: 'notSelector matches an unknown external address',
    policies: [gnp('in', { ingress: [allowIngress({ source: { notSelector: "app == 'web'" } })] })],
    flow: {
      source: { ip: '8.8.8.8' },
      destination: { endpoint: 'api' },
      protocol: 'TCP',
      destinationPort: 9090,
    },
    ingress: ['tier default: GlobalNetworkPolicy in rule 0 → Allow'],
  },
  {
    name: 'notSelector excludes the endpoints it matches',
    policies: [gnp('in', { ingress: [allowIngress({ source: { notSelector: "app == 'web'" } })] })],
    ingress: ['tier default: no rule decided → tier default Deny'],
  },
  {
    name: 'nets match the source address',
    policies: [gnp('in', { ingress: [allowIngress({ source: { nets: ['10.0.1.0/24'] } })] })],
    ingress: ['tier default: GlobalNetworkPolicy in rule 0 → Allow'],
  },
  {
    name: 'nets that do not hold the address do not match',
    policies: [
      gnp('in', { ingress: [allowIngress({ source: { nets: ['10.0.2.0/24', '192.168.0.0/16'] } })] }),
    ],
    ingress: ['tier default: no rule decided → tier default Deny'],
  },
  {
    name: 'IPv6 nets match the IPv6 address the flow used',
    policies: [gnp('in', { ingress: [allowIngress({ source: { nets: ['fd00::/16'] } })] })],
    flow: { ...webToApi, source: { endpoint: 'web', ip: 'fd00::1:1' } },
    ingress: ['tier default: GlobalNetworkPolicy in rule 0 → Allow'],
  },
  {
    name: 'notNets exclude addresses they hold',
    policies: [gnp('in', { ingress: [allowIngress({ source: { notNets: ['10.0.0.0/8'] } })] })],
    ingress: ['tier default: no rule decided → tier default Deny'],
  },
  {
    name: 'notNets let other addresses through',
    policies: [gnp('in', { ingress: [allowIngress({ source: { notNets: ['172.16.0.0/12'] } })] })],
    ingress: ['tier default: GlobalNetworkPolicy in rule 0 → Allow'],
  },
  {
    name: 'destination ports match a listed number',
    policies: [
      gnp('in', { ingress: [allowIngress({ protocol: 'TCP', destination: { ports: [80, 9090] } })] }),
    ],
    ingress: ['tier default: GlobalNetworkPolicy in rule 0 → Allow'],
  },
  {
    name: 'destination ports match a range',
    policies: [
      gnp('in', { ingress: [allowIngress({ protocol: 'TCP', destination: { ports: ['9000:9100'] } })] }),
    ],
    ingress: ['tier default: GlobalNetworkPolicy in rule 0 → Allow'],
  },
  {
    name: 'a port outside every range does not match',
    policies: [
      gnp('in', { ingress: [allowIngress({ protocol: 'TCP', destination: { ports: ['1:1024', 8080] } })] }),
    ],
    ingress: ['tier default: no rule decided → tier default Deny'],
  },
  {
    name: "a named port resolves against the destination's named ports",
    policies: [gnp('in', { ingress: [allowIngress({ protocol: 'TCP', destination: { ports: ['http'] } })] })],
    ingress: ['tier default: GlobalNetworkPolicy in rule 0 → Allow'],
  },
  {
    name: 'a named port does not match another port number',
    policies: [gnp('in', { ingress: [allowIngress({ protocol: 'TCP', destination: { ports: ['http'] } })] })],
    flow: { ...webToApi, destinationPort: 8080 },
    ingress: ['tier default: no rule decided → tier default Deny'],
  },
  {
    name: 'notPorts exclude listed ports and ranges',
    policies: [
      gnp('in', { ingress: [allowIngress({ protocol: 'TCP', destination: { notPorts: ['9000:9999'] } })] }),
    ],
    ingress: ['tier default: no rule decided → tier default Deny'],
  },
  {
    name: 'source ports match the source port',
    policies: [
      gnp('in', { ingress: [allowIngress({ protocol: 'TCP', source: { ports: ['30000:40000'] } })] }),
    ],
    flow: { ...webToApi, sourcePort: 34567 },
    ingress: ['tier default: GlobalNetworkPolicy in rule 0 → Allow'],
  },
  {
    name: 'a rule for another protocol does not match',
    policies: [gnp('in', { ingress: [allowIngress({ protocol: 'UDP' })] })],
    ingress: ['tier default: no rule decided → tier default Deny'],
  },
  {
    name: 'protocols match by number too',
    policies: [gnp('in', { ingress: [allowIngress({ protocol: 6 })] })],
    ingress: ['tier default: GlobalNetworkPolicy in rule 0 → Allow'],
  },
  {
    name: 'notProtocol excludes its protocol',
    policies: [
      gnp('in', { ingress: [{ action: 'Deny', notProtocol: 'TCP' }, allowIngress({ notProtocol: 'UDP' })] }),
    ],
    ingress: ['tier default: GlobalNetworkPolicy in rule 1 → Allow'],
  },
  {
    name: 'ICMP type and code must both match',
    policies: [
      gnp('in', {
        ingress: [
          allowIngress({ protocol: 'ICMP', icmp: { type: 8, code: 1 } }),
          { action: 'Log', protocol: 'ICMP', icmp: { type: 8 } },
          { action: 'Deny', protocol: 'ICMP', notICMP: { type: 0 } },
        ],
      }),
    ],
    flow: {
      source: { endpoint: 'web' },
      destination: { endpoint: 'api' },
      protocol: 'ICMP',
      icmp: { type: 8, code: 0 },
    },
    ingress: [
      'tier default: GlobalNetworkPolicy in rule 1 → Log',
      'tier default: GlobalNetworkPolicy in rule 2 → Deny',
    ],
  },
  {
    name: 'serviceAccounts names match the peer service account',
    policies: [
      gnp('in', { ingress: [allowIngress({ source: { serviceAccounts: { names: ['web-sa', 'other'] } } })] }),
    ],
    ingress: ['tier default: GlobalNetworkPolicy in rule 0 → Allow'],
  },
  {
    name: 'serviceAccounts selector matches service account labels',
    policies: [
      gnp('in', {
        ingress: [allowIngress({ source: { serviceAccounts: { selector: "role == 'backend'" } } })],
      }),
    ],
    ingress: ['tier default: no rule decided → tier default Deny'],
  },
  {
    name: 'a policy serviceAccountSelector picks the endpoints it applies to',
    policies: [
      gnp('web-only', { serviceAccountSelector: "role == 'frontend'", ingress: [{ action: 'Deny' }] }),
    ],
    ingress: ['no tier applies → Allow'],
  },
  {
    name: 'services match endpoints backing the service',
    policies: [
      np('shop', 'web-out', {
        selector: "app == 'web'",
        egress: [allowIngress({ destination: { services: { name: 'api' } } })],
      }),
    ],
    egress: ['tier default: NetworkPolicy shop/web-out rule 0 → Allow'],
    ingress: ['no tier applies → Allow'],
  },
  {
    name: 'destination services match only the EndpointSlice ports of the service',
    policies: [
      np('shop', 'web-out', {
        selector: "app == 'web'",
        egress: [allowIngress({ destination: { services: { name: 'api' } } })],
      }),
    ],
    flow: { ...webToApi, destinationPort: 8080 },
    ingress: ['no tier applies → Allow'],
    egress: ['tier default: no rule decided → tier default Deny'],
  },
  {
    name: 'destination services match the EndpointSlice port only with its protocol (TCP unless given)',
    policies: [
      np('shop', 'web-out', {
        selector: "app == 'web'",
        egress: [allowIngress({ destination: { services: { name: 'api' } } })],
      }),
    ],
    flow: { ...webToApi, protocol: 'UDP' },
    ingress: ['no tier applies → Allow'],
    egress: ['tier default: no rule decided → tier default Deny'],
  },
  {
    name: 'destination services match a UDP EndpointSlice port',
    policies: [
      np('shop', 'web-out', {
        selector: "app == 'web'",
        egress: [allowIngress({ destination: { services: { name: 'api' } } })],
      }),
    ],
    flow: { ...webToApi, protocol: 'UDP', destinationPort: 53 },
    ingress: ['no tier applies → Allow'],
    egress: ['tier default: NetworkPolicy shop/web-out rule 0 → Allow'],
  },
  {
    name: 'destination services match nothing for a service membership without ports',
    policies: [
      np('shop', 'web-out', {
        selector: "app == 'web'",
        egress: [allowIngress({ destination: { services: { name: 'api-unready' } } })],
      }),
    ],
    ingress: ['no tier applies → Allow'],
    egress: ['tier default: no rule decided → tier default Deny'],
  },
  {
    name: 'source services match the addresses of the service on any port',
    policies: [
      np('shop', 'web-in', {
        selector: "app == 'web'",
        ingress: [allowIngress({ source: { services: { name: 'api-unready' } } })],
      }),
    ],
    flow: {
      source: { endpoint: 'api' },
      destination: { endpoint: 'web' },
      protocol: 'TCP',
      sourcePort: 40_000,
      destinationPort: 8080,
    },
    ingress: ['tier default: NetworkPolicy shop/web-in rule 0 → Allow'],
  },
  {
    name: 'a remote endpoint is seen through the network set published in the local cluster',
    policies: [
      np('shop', 'web-out', {
        selector: "app == 'web'",
        egress: [allowIngress({ destination: { selector: "app == 'api' && meshplane.io/cluster == 'c2'" } })],
      }),
    ],
    flow: {
      source: { endpoint: 'web' },
      destination: { endpoint: 'remote-api' },
      protocol: 'TCP',
      destinationPort: 9090,
    },
    egress: ['tier default: NetworkPolicy shop/web-out rule 0 → Allow'],
    ingress: ['no tier applies → Allow'],
  },
  {
    name: 'a remote endpoint with no network set published is just an address',
    policies: [
      gnp('api-in', {
        selector: "app == 'api'",
        ingress: [allowIngress({ source: { selector: "app == 'web'" } })],
      }),
    ],
    flow: {
      source: { endpoint: 'web' },
      destination: { endpoint: 'remote-api' },
      protocol: 'TCP',
      destinationPort: 9090,
    },
    ingress: ['tier default: no rule decided → tier default Deny'],
  },
  {
    name: 'policies never apply to network sets (no egress verdict for one)',
    policies: [
      gnp('deny-all', {
        selector: 'all()',
        types: ['Ingress', 'Egress'],
        ingress: [],
        egress: [{ action: 'Deny' }],
      }),
    ],
    flow: {
      source: { endpoint: 'corp' },
      destination: { endpoint: 'web' },
      protocol: 'TCP',
      destinationPort: 8080,
    },
    egress: null,
    ingress: ['tier default: no rule decided → tier default Deny'],
  },
  {
    name: 'a host endpoint with no applicable tier is denied',
    policies: [],
    flow: {
      source: { endpoint: 'web' },
      destination: { endpoint: 'gateway' },
      protocol: 'TCP',
      destinationPort: 22,
    },
    ingress: ['no tier applies → Deny'],
    allowed: false,
  },
  {
    name: 'clusterSelector keeps a policy out of clusters it does not select',
    policies: [gnp('us-lockdown', { clusterSelector: "region == 'us'", ingress: [{ action: 'Deny' }] })],
    ingress: ['no tier applies → Allow'],
  },
  {
    name: 'clusterSelector can name the cluster by meshplane.io/cluster',
    policies: [
      gnp('c1-lockdown', { clusterSelector: "meshplane.io/cluster == 'c1'", ingress: [{ action: 'Deny' }] }),
    ],
    ingress: ['tier default: GlobalNetworkPolicy c1-lockdown rule 0 → Deny'],
  },
  {
    name: 'types default from the rules: an egress-only policy does not apply to ingress',
    policies: [gnp('out', { egress: [{ action: 'Deny' }] })],
    ingress: ['no tier applies → Allow'],
    egress: ['tier default: GlobalNetworkPolicy out rule 0 → Deny'],
    allowed: false,
  },
  {
    name: 'a policy with no rules defaults to Ingress and denies by its tier default',
    policies: [np('shop', 'isolate', {})],
    ingress: ['tier default: no rule decided → tier default Deny'],
    egress: ['no tier applies → Allow'],
  },
  {
    name: 'a GlobalNetworkPolicy namespaceSelector picks endpoints by namespace labels',
    policies: [gnp('data-only', { namespaceSelector: "team == 'data'", ingress: [{ action: 'Deny' }] })],
    ingress: ['no tier applies → Allow'],
  },
  {
    name: 'selectors can use the namespace label Calico adds',
    policies: [
      gnp('shop', { selector: "projectcalico.org/namespace == 'shop'", ingress: [{ action: 'Deny' }] }),
    ],
    ingress: ['tier default: GlobalNetworkPolicy shop rule 0 → Deny'],
  },
  {
    name: 'HTTP matches apply to flows carrying HTTP details',
    policies: [
      gnp('in', { ingress: [allowIngress({ http: { methods: ['GET'], paths: [{ prefix: '/api/' }] } })] }),
    ],
    flow: { ...webToApi, http: { method: 'get', path: '/api/v1' } },
    ingress: ['tier default: GlobalNetworkPolicy in rule 0 → Allow'],
  },
  {
    name: 'HTTP matches do not match flows without HTTP details',
    policies: [gnp('in', { ingress: [allowIngress({ http: { methods: ['GET'] } })] })],
    ingress: ['tier default: no rule decided → tier default Deny'],
  },
  {
    name: 'a rule with ipVersion 6 does not match an IPv4 flow',
    policies: [gnp('in', { ingress: [{ action: 'Deny', ipVersion: 6 }, allowIngress()] })],
    ingress: ['tier default: GlobalNetworkPolicy in rule 1 → Allow'],
    allowed: true,
  },
  {
    name: 'a rule with ipVersion 6 matches an IPv6 flow',
    policies: [gnp('out', { egress: [{ action: 'Deny', ipVersion: 6 }, allowIngress()] })],
    flow: {
      source: { endpoint: 'web' },
      destination: { ip: 'fd00::9' },
      protocol: 'TCP',
      destinationPort: 443,
    },
    ingress: undefined,
    egress: ['tier default: GlobalNetworkPolicy out rule 0 → Deny'],
    allowed: false,
  },
  {
    name: 'a dual-stack endpoint is seen at its address of the flow family',
    policies: [
      gnp('out', {
        egress: [
          { action: 'Deny', source: { nets: ['fd00::1:0/112'] } },
          { action: 'Allow', ipVersion: 4 },
        ],
      }),
    ],
    flow: {
      source: { endpoint: 'web' },
      destination: { ip: 'fd00::9' },
      protocol: 'TCP',
      destinationPort: 443,
    },
    ingress: undefined,
    egress: ['tier default: GlobalNetworkPolicy out rule 0 → Deny'],
  },
  {
    name: 'a rule whose CIDRs are all IPv6 is not rendered for IPv4, even when they are notNets',
    policies: [
      gnp('in', { ingress: [{ action: 'Deny', source: { notNets: ['fd00::/8'] } }, allowIngress()] }),
    ],
    ingress: ['tier default: GlobalNetworkPolicy in rule 1 → Allow'],
  },
  {
    name: "Calico's built-in tiers keep their orders: kube-admin (1000) before default (1000000) before kube-baseline (10000000)",
    tiers: [
      { name: 'kube-baseline' },
      { name: 'kube-admin' },
      { name: 'late', order: 2_000_000 },
      { name: 'early', order: 500 },
    ],
    policies: [
      gnp('a', { tier: 'kube-baseline', ingress: [{ action: 'Pass' }] }),
      gnp('b', { tier: 'kube-admin', ingress: [{ action: 'Pass' }] }),
      gnp('c', { ingress: [{ action: 'Pass' }] }),
      gnp('d', { tier: 'late', ingress: [{ action: 'Pass' }] }),
      gnp('e', { tier: 'early', ingress: [{ action: 'Pass' }] }),
    ],
    ingress: [
      'tier early: GlobalNetworkPolicy e rule 0 → Pass',
      'tier kube-admin: GlobalNetworkPolicy b rule 0 → Pass',
      'tier default: GlobalNetworkPolicy c rule 0 → Pass',
      'tier late: GlobalNetworkPolicy d rule 0 → Pass',
      'tier kube-baseline: GlobalNetworkPolicy a rule 0 → Pass',
      'passed by every tier → profile Allow',
    ],
  },
  {
    name: "the kube-admin tier's default action is Pass even when the world leaves it out",
    tiers: [{ name: 'kube-admin' }],
    policies: [
      gnp('admin', { tier: 'kube-admin', ingress: [allowIngress({ source: { selector: "app == 'db'" } })] }),
    ],
    ingress: ['tier kube-admin: no rule decided → tier default Pass', 'passed by every tier → profile Allow'],
  },
  {
    name: 'a bare destination address resolves to the endpoint holding it',
    policies: [gnp('in', { selector: "app == 'api'", ingress: [{ action: 'Deny' }] })],
    flow: {
      source: { endpoint: 'web' },
      destination: { ip: '10.0.1.2' },
      protocol: 'TCP',
      destinationPort: 9090,
    },
    ingress: ['tier default: GlobalNetworkPolicy in rule 0 → Deny'],
  },
];

const lines = (side: SideVerdict | undefined) => (side === undefined ? undefined : formatTrace(side.trace));

describe('PolicyEvaluator', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const verdict = evaluateFlow(
      { tiers: c.tiers ?? [], policies: c.policies, endpoints, clusters },
      c.flow ?? webToApi,
    );
    expect(lines(verdict.ingress)).toEqual(c.ingress);
    if (c.egress !== undefined) expect(lines(verdict.egress)).toEqual(c.egress ?? undefined);
    if (c.stagedIngress !== undefined) expect(lines(verdict.staged.ingress)).toEqual(c.stagedIngress);
    else expect(verdict.staged.ingress).toEqual(verdict.ingress);
    if (c.allowed !== undefined) expect(verdict.allowed).toBe(c.allowed);
    expect(verdict.allowed).toBe(verdict.ingress?.action !== 'Deny' && verdict.egress?.action !== 'Deny');
  });

  it('refuses an invalid policy set and lists every issue with its path', () => {
    const build = () =>
      new PolicyEvaluator({
        tiers: [],
        policies: [gnp('bad', { tier: 'missing', selector: 'app == web', ingress: [] })],
        endpoints,
      });
    expect(build).toThrow(EvaluationError);
    try {
      build();
    } catch (error) {
      expect((error as EvaluationError).issues.map((issue) => issue.path)).toEqual([
        'policies[0].spec.selector',
        'policies[0].spec.tier',
      ]);
    }
  });

  it('matches no rule restricted to one IP family when neither end of the flow has an address', () => {
    const unaddressed: Endpoint[] = [
      { id: 'a', kind: 'workload', namespace: 'x', labels: {}, ips: [] },
      { id: 'b', kind: 'workload', namespace: 'x', labels: {}, ips: [] },
    ];
    const policies = [
      gnp('in', {
        ingress: [
          { action: 'Deny', ipVersion: 4 },
          { action: 'Deny', source: { notNets: ['10.0.0.0/8'] } },
        ],
      }),
    ];
    const verdict = evaluateFlow(
      { tiers: [], policies, endpoints: unaddressed },
      { source: { endpoint: 'a' }, destination: { endpoint: 'b' }, protocol: 'TCP' },
    );
    expect(lines(verdict.ingress)).toEqual(['tier default: no rule decided → tier default Deny']);
  });

  it('refuses a flow whose given addresses are of different IP families', () => {
    const evaluator = new PolicyEvaluator({ tiers: [], policies: [], endpoints });
    expect(() =>
      evaluator.evaluate({
        ...webToApi,
        source: { endpoint: 'web', ip: 'fd00::1:1' },
        destination: { ip: '10.0.1.2' },
      }),
    ).toThrow(/different IP families/);
  });

  it('refuses built-in tiers with another order or default action, and kube tiers the world does not list', () => {
    const build =
      (tiers: Tier[], policies: Policy[] = []) =>
      () =>
        new PolicyEvaluator({ tiers, policies, endpoints });
    expect(build([{ name: 'default', order: 5 }])).toThrow(/fixed order 1000000/);
    expect(build([{ name: 'kube-baseline', defaultAction: 'Deny' }])).toThrow(
      /must have default action Pass/,
    );
    expect(build([], [gnp('p', { tier: 'kube-admin' })])).toThrow(/tier "kube-admin" does not exist/);
  });

  it('reports unknown endpoints and bad addresses in flows', () => {
    const evaluator = new PolicyEvaluator({ tiers: [], policies: [], endpoints });
    expect(() => evaluator.evaluate({ ...webToApi, destination: { endpoint: 'nope' } })).toThrow(
      /no endpoint "nope"/,
    );
    expect(() => evaluator.evaluate({ ...webToApi, source: { ip: '10.0.0.300' } })).toThrow(
      /not an IPv4 or IPv6 address/,
    );
    expect(() => evaluator.evaluate({ ...webToApi, protocol: 'XTP' })).toThrow(/unknown protocol/);
  });
});
