import { describe, expect, it } from 'vitest';
import type { GlobalPolicySpec, Policy, PolicySpec } from '../model/policy.js';
import { effectivePolicyTypes } from '../model/policy.js';
import type { Rule } from '../model/rule.js';
import { validatePolicy, validatePolicySet, validateTier } from './validate-policy.js';

const gnp = (spec: GlobalPolicySpec): Policy => ({
  kind: 'GlobalNetworkPolicy',
  metadata: { name: 'p' },
  spec,
});
const np = (spec: PolicySpec): Policy => ({
  kind: 'NetworkPolicy',
  metadata: { name: 'p', namespace: 'shop' },
  spec,
});
const ingress = (...rules: Rule[]): Policy => gnp({ ingress: rules });

/** [description, policy, expected issues as `path: message fragment`] */
const cases: ReadonlyArray<readonly [string, Policy, readonly string[]]> = [
  [
    'a valid policy',
    ingress({ action: 'Allow', protocol: 'TCP', destination: { ports: [80, '8000:8080', 'http'] } }),
    [],
  ],
  ['an unknown action', ingress({ action: 'Accept' as 'Allow' }), ['spec.ingress[0].action: must be one of']],
  [
    'a selector with a syntax error names the position',
    gnp({ selector: 'app == web' }),
    [
      "spec.selector: invalid selector: expected a quoted string after '==' but found label 'web' at position 7",
    ],
  ],
  [
    'a selector nested past the parenthesis limit names the position',
    gnp({ selector: `${'('.repeat(257)}all()${')'.repeat(257)}` }),
    [
      "spec.selector: invalid selector: parentheses nested too deeply: this '(' would open level 257; selectors may nest them at most 256 deep at position 256",
    ],
  ],
  [
    'a rule selector nested past the parenthesis limit',
    ingress({
      action: 'Allow',
      source: { selector: `has(a) && ${'!('.repeat(300)}has(b)${')'.repeat(300)}` },
    }),
    ['spec.ingress[0].source.selector: invalid selector: parentheses nested too deeply'],
  ],
  ['a thousand leading ! are fine', gnp({ selector: `${'!'.repeat(1_000)}has(a)` }), []],
  [
    'global() outside a rule namespaceSelector',
    gnp({ selector: 'global()' }),
    ['spec.selector: global() can only be used'],
  ],
  [
    'global() in a rule selector',
    ingress({ action: 'Allow', source: { selector: 'global()' } }),
    ['spec.ingress[0].source.selector: global() can only be used'],
  ],
  [
    'global() in a rule namespaceSelector is fine',
    ingress({ action: 'Allow', source: { namespaceSelector: 'global()' } }),
    [],
  ],
  [
    'global() alone with surrounding spaces in a rule namespaceSelector is fine',
    ingress({ action: 'Allow', destination: { namespaceSelector: '  global( )  ' } }),
    [],
  ],
  ...[
    "global() || name == 'shop'",
    'global() && all()',
    '(global())',
    '!global()',
    'global() || global()',
  ].map(
    (namespaceSelector) =>
      [
        `global() combined with other expressions is refused: ${namespaceSelector}`,
        ingress({ action: 'Allow', source: { namespaceSelector } }),
        ['spec.ingress[0].source.namespaceSelector: global() must be the whole namespaceSelector'],
      ] as const,
  ),
  [
    'a selector over 1024 characters',
    gnp({ selector: `a in {${"'x',".repeat(300)}}` }),
    ['spec.selector: is 1207 characters long'],
  ],
  [
    'a bad clusterSelector',
    gnp({ clusterSelector: "region = 'eu'" }),
    ["spec.clusterSelector: invalid selector: expected '=='"],
  ],
  [
    'a namespaceSelector on a NetworkPolicy',
    np({ namespaceSelector: 'all()' } as PolicySpec),
    ['spec.namespaceSelector: only a GlobalNetworkPolicy'],
  ],
  [
    'ports without a protocol',
    ingress({ action: 'Allow', destination: { ports: [80] } }),
    [
      'spec.ingress[0].destination.ports: ports can only be used when the rule sets protocol TCP, UDP or SCTP',
    ],
  ],
  [
    'ports with ICMP',
    ingress({ action: 'Allow', protocol: 'ICMP', source: { notPorts: [80] } }),
    ['spec.ingress[0].source.notPorts: ports can only be used'],
  ],
  [
    'ports with SCTP by number',
    ingress({ action: 'Allow', protocol: 132, destination: { ports: [80] } }),
    [],
  ],
  [
    'an inverted port range',
    ingress({ action: 'Allow', protocol: 'UDP', destination: { ports: [53, '2000:1000'] } }),
    ['spec.ingress[0].destination.ports[1]: port range "2000:1000" starts after it ends'],
  ],
  [
    'a port above 65535',
    ingress({ action: 'Allow', protocol: 'TCP', destination: { ports: [70000] } }),
    ['spec.ingress[0].destination.ports[0]: port 70000 is not an integer 0-65535'],
  ],
  [
    'a malformed named port',
    ingress({ action: 'Allow', protocol: 'TCP', destination: { ports: ['HTTP_PORT'] } }),
    ['spec.ingress[0].destination.ports[0]: "HTTP_PORT" is not a port number'],
  ],
  [
    'an unknown protocol',
    ingress({ action: 'Allow', protocol: 'tcp' }),
    ['spec.ingress[0].protocol: "tcp" is not TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite or a number 1-255'],
  ],
  [
    'a protocol number out of range',
    ingress({ action: 'Allow', notProtocol: 256 }),
    ['spec.ingress[0].notProtocol:'],
  ],
  [
    'an invalid CIDR',
    ingress({
      action: 'Allow',
      source: { nets: ['10.0.0.0/8', '10.0.0.0/33'], notNets: ['10.1.0.0/16', 'nope'] },
    }),
    [
      'spec.ingress[0].source.nets[1]: "10.0.0.0/33" is not',
      'spec.ingress[0].source.notNets[1]: "nope" is not',
    ],
  ],
  [
    'ipVersion 6 with IPv6 CIDRs and ICMPv6 is fine',
    ingress({ action: 'Deny', ipVersion: 6, protocol: 'ICMPv6', source: { nets: ['fd00::/8'] } }),
    [],
  ],
  [
    'an ipVersion other than 4 or 6',
    ingress({ action: 'Deny', ipVersion: 5 as 4 }),
    ['spec.ingress[0].ipVersion: must be 4 or 6'],
  ],
  [
    'CIDRs of the other IP version than ipVersion',
    ingress({ action: 'Deny', ipVersion: 4, destination: { notNets: ['fd00::/8'] } }),
    ["spec.ingress[0].destination.notNets: has IPv6 CIDRs but the rule's ipVersion is 4"],
  ],
  [
    'ICMPv6 with ipVersion 4, and ICMP as notProtocol with ipVersion 6',
    gnp({
      ingress: [{ action: 'Allow', ipVersion: 4, protocol: 'ICMPv6' }],
      egress: [{ action: 'Allow', ipVersion: 6, notProtocol: 1 }],
    }),
    [
      'spec.ingress[0].ipVersion: protocol ICMPv6 requires ipVersion 6',
      'spec.egress[0].ipVersion: protocol ICMP requires ipVersion 4',
    ],
  ],
  [
    'a rule mixing IPv4 and IPv6 CIDRs, across fields or in one',
    gnp({
      ingress: [{ action: 'Allow', source: { nets: ['10.0.0.0/8'] }, destination: { nets: ['fd00::/8'] } }],
      egress: [{ action: 'Allow', destination: { notNets: ['10.0.0.0/8', 'fd00::/8'] } }],
    }),
    [
      'spec.ingress[0].destination.nets: the rule would contain both IPv4 and IPv6 CIDRs',
      'spec.egress[0].destination.notNets: the rule would contain both IPv4 and IPv6 CIDRs',
    ],
  ],
  [
    'services together with a selector',
    gnp({
      egress: [
        {
          action: 'Allow',
          destination: { services: { name: 'api', namespace: 'shop' }, selector: "app == 'x'" },
        },
      ],
    }),
    ['spec.egress[0].destination.selector: cannot be combined with services'],
  ],
  [
    'services together with nets and serviceAccounts',
    gnp({
      egress: [
        {
          action: 'Allow',
          destination: {
            services: { name: 'api', namespace: 'shop' },
            nets: ['10.0.0.0/8'],
            serviceAccounts: { names: ['a'] },
          },
        },
      ],
    }),
    [
      'spec.egress[0].destination.nets: cannot be combined',
      'spec.egress[0].destination.serviceAccounts: cannot be combined',
    ],
  ],
  [
    'services with destination ports',
    gnp({
      egress: [
        {
          action: 'Allow',
          protocol: 'TCP',
          destination: { services: { name: 'api', namespace: 'shop' }, ports: [80] },
        },
      ],
    }),
    [
      'spec.egress[0].destination.services: ports and notPorts can only be combined with services in the source of an ingress rule',
    ],
  ],
  [
    'services with source ports on an ingress rule are fine',
    ingress({
      action: 'Allow',
      protocol: 'TCP',
      source: { services: { name: 'api', namespace: 'shop' }, ports: [80] },
    }),
    [],
  ],
  [
    'services in an egress rule source and in an ingress rule destination',
    np({
      egress: [{ action: 'Allow', source: { services: { name: 'api' } } }],
      ingress: [{ action: 'Allow', destination: { services: { name: 'api' } } }],
    }),
    [
      'spec.ingress[0].destination.services: services are not allowed in an ingress rule destination',
      'spec.egress[0].source.services: services are not allowed in an egress rule source',
    ],
  ],
  [
    'services without a namespace in a GlobalNetworkPolicy',
    gnp({ egress: [{ action: 'Allow', destination: { services: { name: 'api' } } }] }),
    [
      "spec.egress[0].destination.services.namespace: a GlobalNetworkPolicy must name the service's namespace",
    ],
  ],
  [
    'services without a name',
    gnp({ egress: [{ action: 'Allow', destination: { services: { name: '', namespace: 'shop' } } }] }),
    ['spec.egress[0].destination.services.name:'],
  ],
  [
    'http on a Deny rule',
    ingress({ action: 'Deny', http: { methods: ['GET'] } }),
    ['spec.ingress[0].http: an HTTP match is only valid on Allow rules'],
  ],
  [
    'http on an egress rule',
    gnp({ egress: [{ action: 'Allow', http: { methods: ['GET'] } }] }),
    ['spec.egress[0].http: an HTTP match is not allowed in egress rules'],
  ],
  [
    'http with UDP',
    ingress({ action: 'Allow', protocol: 'UDP', http: {} }),
    ['spec.ingress[0].http: an HTTP match needs protocol TCP'],
  ],
  [
    'an http path with both exact and prefix',
    ingress({ action: 'Allow', http: { paths: [{ exact: '/a', prefix: '/b' }] } }),
    ['spec.ingress[0].http.paths[0]: must give exactly one of exact or prefix'],
  ],
  [
    'icmp without an ICMP protocol',
    ingress({ action: 'Allow', icmp: { type: 8 } }),
    ['spec.ingress[0].icmp: ICMP matches need protocol ICMP or ICMPv6'],
  ],
  [
    'an icmp code without a type',
    ingress({ action: 'Allow', protocol: 'ICMPv6', notICMP: { code: 1 } }),
    ['spec.ingress[0].notICMP.code: an ICMP code needs a type'],
  ],
  [
    'an icmp type above 254',
    ingress({ action: 'Allow', protocol: 'ICMP', icmp: { type: 255 } }),
    ['spec.ingress[0].icmp.type: must be an integer 0-254'],
  ],
  [
    'more than 1024 rules in one direction',
    gnp({ egress: Array.from({ length: 1025 }, () => ({ action: 'Allow' as const })) }),
    ['spec.egress: has 1025 rules; the limit is 1024'],
  ],
  [
    'an unknown policy type',
    gnp({ types: ['Inbound' as 'Ingress'] }),
    ['spec.types[0]: must be Ingress or Egress'],
  ],
  [
    'a repeated policy type',
    gnp({ types: ['Ingress', 'Ingress'] }),
    ['spec.types: lists Ingress and/or Egress'],
  ],
  [
    'egress rules that the types leave out',
    gnp({ types: ['Ingress'], egress: [{ action: 'Allow' }] }),
    ['spec.egress: Egress rules are present but spec.types does not include Egress'],
  ],
  [
    'a name that is not a DNS subdomain',
    { kind: 'GlobalNetworkPolicy', metadata: { name: 'Bad_Name' }, spec: {} },
    ['metadata.name:'],
  ],
  [
    'a NetworkPolicy without a namespace',
    { kind: 'NetworkPolicy', metadata: { name: 'p', namespace: '' }, spec: {} },
    ['metadata.namespace:'],
  ],
  ['a non-numeric order', gnp({ order: Number.NaN }), ['spec.order: must be a finite number']],
  [
    'preDNAT on a GlobalNetworkPolicy is refused, not applied as an ordinary rule',
    gnp({ preDNAT: true, ingress: [{ action: 'Deny' }] } as GlobalPolicySpec),
    [
      "spec.preDNAT: host endpoint policy fields preDNAT/doNotTrack/applyOnForward are not supported: Meshplane does not model host endpoints' pre-DNAT or untracked traffic",
    ],
  ],
  [
    'doNotTrack and applyOnForward are refused',
    gnp({ doNotTrack: true, applyOnForward: 'yes' } as GlobalPolicySpec),
    [
      'spec.doNotTrack: host endpoint policy fields preDNAT/doNotTrack/applyOnForward are not supported',
      'spec.applyOnForward: host endpoint policy fields preDNAT/doNotTrack/applyOnForward are not supported',
    ],
  ],
  [
    "host endpoint fields set to false (Calico's default) are fine",
    gnp({ preDNAT: false, doNotTrack: false, applyOnForward: false } as GlobalPolicySpec),
    [],
  ],
  [
    'an unknown spec field is refused rather than dropped',
    gnp({ performanceHints: ['AssumeNeverChanging'] } as GlobalPolicySpec),
    ['spec.performanceHints: unknown field "performanceHints"'],
  ],
  [
    'unknown fields of rules and of their parts are refused',
    ingress({
      action: 'Allow',
      protocol: 'ICMP',
      icmp: { type: 8, kode: 0 },
      source: { selector: "app == 'x'", labels: { app: 'x' } },
      destination: { selector: 'all()', port: 80 },
      metadata: { annotations: {}, labels: {} },
      notIpVersion: 6,
    } as unknown as Rule),
    [
      'spec.ingress[0].notIpVersion: unknown field',
      'spec.ingress[0].metadata.labels: unknown field',
      'spec.ingress[0].icmp.kode: unknown field',
      'spec.ingress[0].source.labels: unknown field',
      'spec.ingress[0].destination.port: unknown field',
    ],
  ],
  [
    'unknown fields of an http match and its paths are refused',
    ingress({
      action: 'Allow',
      http: { headers: {}, paths: [{ prefix: '/', regex: '.*' }] },
    } as unknown as Rule),
    ['spec.ingress[0].http.headers: unknown field', 'spec.ingress[0].http.paths[0].regex: unknown field'],
  ],
  [
    'a rule or an entity rule that is not an object',
    gnp({ ingress: [null as unknown as Rule], egress: [{ action: 'Allow', source: 'web' as never }] }),
    ['spec.ingress[0]: must be an object', 'spec.egress[0].source: must be an object'],
  ],
  [
    'a bad serviceAccounts selector',
    ingress({ action: 'Allow', source: { serviceAccounts: { selector: 'has(' } } }),
    ['spec.ingress[0].source.serviceAccounts.selector: invalid selector'],
  ],
];

describe('validatePolicy', () => {
  it.each(cases)('%s', (_, policy, expected) => {
    const issues = validatePolicy(policy).map((issue) => `${issue.path}: ${issue.message}`);
    expect(issues).toHaveLength(expected.length);
    expected.forEach((fragment, i) => {
      expect(issues[i]).toContain(fragment);
    });
  });
});

describe('effectivePolicyTypes', () => {
  it.each([
    [{}, ['Ingress']],
    [{ ingress: [{ action: 'Allow' }] }, ['Ingress']],
    [{ egress: [{ action: 'Allow' }] }, ['Egress']],
    [{ ingress: [{ action: 'Allow' }], egress: [{ action: 'Allow' }] }, ['Ingress', 'Egress']],
    [{ types: ['Egress'], ingress: [{ action: 'Allow' }] }, ['Egress']],
  ] as const)('%j → %j', (spec, expected) => {
    expect(effectivePolicyTypes(spec as PolicySpec)).toEqual(expected);
  });
});

describe('validateTier and validatePolicySet', () => {
  it.each([
    [{ name: 'security', order: 100 }, []],
    [{ name: 'security', defaultAction: 'Allow' as 'Deny' }, ['defaultAction: must be Deny or Pass']],
    [{ name: 'Security' }, ['name: must be a lowercase DNS label (a-z, 0-9, -; at most 63 characters)']],
    [
      { name: 'default', defaultAction: 'Pass' as const },
      ["defaultAction: the 'default' tier must have default action Deny"],
    ],
    [{ name: 't', order: Number.POSITIVE_INFINITY }, ['order: must be a finite number']],
    [{ name: 'default', order: 1_000_000 }, []],
    [{ name: 'default', order: 5 }, ["order: the built-in 'default' tier has the fixed order 1000000"]],
    [{ name: 'kube-admin', order: 1_000, defaultAction: 'Pass' as const }, []],
    [{ name: 'kube-admin' }, []],
    [
      { name: 'kube-admin', order: 2_000, defaultAction: 'Deny' as const },
      [
        "order: the built-in 'kube-admin' tier has the fixed order 1000",
        "defaultAction: the 'kube-admin' tier must have default action Pass",
      ],
    ],
    [
      { name: 'kube-baseline', order: 1 },
      ["order: the built-in 'kube-baseline' tier has the fixed order 10000000"],
    ],
  ])('%j', (tier, expected) => {
    expect(validateTier(tier).map((issue) => `${issue.path}: ${issue.message}`)).toEqual(expected);
  });

  it('checks tiers exist and names are unique, prefixing paths', () => {
    const issues = validatePolicySet({
      tiers: [{ name: 'a' }, { name: 'a' }],
      policies: [gnp({ tier: 'a' }), gnp({ tier: 'nope' }), gnp({ staged: true }), np({})],
    });
    expect(issues.map((issue) => `${issue.path}: ${issue.message}`)).toEqual([
      'tiers[1].name: duplicate tier "a"',
      'policies[1].metadata.name: duplicate GlobalNetworkPolicy "p"',
      'policies[1].spec.tier: tier "nope" does not exist',
    ]);
  });
});
