import { describe, expect, it } from 'vitest';
import { PolicyEvaluator } from '../evaluate/evaluator.js';
import type { CalicoResource, ClusterDataplaneState } from './cluster-state.js';
import { DataplaneError } from './dataplane.errors.js';
import { evaluatorWorld } from './dataplane.fixtures.js';
import { ReferenceDataplane } from './reference-dataplane.js';

const V3 = 'projectcalico.org/v3';

function cluster(
  objects: CalicoResource[],
  extra: Partial<ClusterDataplaneState> = {},
): ClusterDataplaneState {
  return {
    namespaces: [
      { name: 'a', labels: { env: 'prod' } },
      { name: 'b', labels: { env: 'dev' } },
    ],
    serviceAccounts: [
      { namespace: 'a', name: 'default', labels: {} },
      { namespace: 'a', name: 'sa1', labels: { role: 'reader' } },
    ],
    pods: [
      { namespace: 'a', name: 'web', labels: { app: 'web' }, ips: ['10.0.0.1'], serviceAccount: 'default' },
      { namespace: 'a', name: 'db', labels: { app: 'db' }, ips: ['10.0.0.2'], serviceAccount: 'sa1' },
      {
        namespace: 'b',
        name: 'api',
        labels: { app: 'api' },
        ips: ['10.0.0.3', 'fd00::3'],
        serviceAccount: 'default',
      },
    ],
    objects,
    ...extra,
  };
}

const gnp = (name: string, spec: object): CalicoResource => ({
  apiVersion: V3,
  kind: 'GlobalNetworkPolicy',
  metadata: { name },
  spec,
});
const np = (namespace: string, name: string, spec: object): CalicoResource => ({
  apiVersion: V3,
  kind: 'NetworkPolicy',
  metadata: { name, namespace },
  spec,
});
const tcp = (source: string, destination: string, destinationPort = 80) => ({
  source,
  destination,
  protocol: 'TCP',
  sourcePort: 40000,
  destinationPort,
});

/** Decides with the reference and checks the evaluator agrees on both sides. */
function both(state: ClusterDataplaneState, packet: ReturnType<typeof tcp>) {
  const felix = new ReferenceDataplane(state).decide(packet);
  const pods = new Map(
    state.pods.flatMap((pod) => pod.ips.map((ip) => [ip, `${pod.namespace}/${pod.name}`])),
  );
  const peer = (ip: string) => (pods.has(ip) ? { endpoint: pods.get(ip)!, ip } : { ip });
  const ours = new PolicyEvaluator(
    evaluatorWorld({ state, podAddresses: [], externalAddresses: [] }),
  ).evaluate({ ...packet, source: peer(packet.source), destination: peer(packet.destination) });
  expect({ egress: ours.egress?.action, ingress: ours.ingress?.action }).toEqual({
    egress: felix.egress?.action,
    ingress: felix.ingress?.action,
  });
  return felix;
}

describe('ReferenceDataplane (Felix semantics)', () => {
  it('with no policy every pod is allowed by its namespace profile', () => {
    const verdict = both(cluster([]), tcp('10.0.0.1', '10.0.0.2'));
    expect(verdict).toEqual({
      allowed: true,
      egress: { pod: 'a/web', action: 'Allow', decidedBy: 'profile kns.a' },
      ingress: { pod: 'a/db', action: 'Allow', decidedBy: 'profile kns.a' },
    });
  });

  it('matches service-account selectors on the account name label (regression: evaluator ignored it)', () => {
    const state = cluster([
      np('a', 'p', { selector: 'all()', serviceAccountSelector: "projectcalico.org/name == 'sa1'" }),
    ]);
    expect(both(state, tcp('10.0.0.1', '10.0.0.2')).ingress?.action).toBe('Deny');
    expect(both(state, tcp('10.0.0.2', '10.0.0.1')).ingress?.action).toBe('Allow');
  });

  it('matches a rule selector through any network set holding the address (regression: evaluator took the pod only)', () => {
    const state = cluster([
      {
        apiVersion: V3,
        kind: 'NetworkSet',
        metadata: { name: 'ext', namespace: 'a', labels: { app: 'ext' } },
        spec: { nets: ['10.0.0.2/31'] },
      },
      gnp('deny-ext', {
        ingress: [{ action: 'Deny', destination: { selector: "app == 'ext'" } }, { action: 'Allow' }],
      }),
    ]);
    // 10.0.0.2 (pod db) and 10.0.0.3 (pod api) are inside the set: Felix's IP set holds them.
    expect(both(state, tcp('10.0.0.1', '10.0.0.2')).ingress).toMatchObject({
      action: 'Deny',
      decidedBy: 'deny-ext',
    });
    expect(both(state, tcp('10.0.0.2', '10.0.0.1')).ingress?.action).toBe('Allow');
  });

  it('breaks order ties by name, then namespace, then kind (regression: evaluator compared namespace first)', () => {
    const state = cluster([
      np('a', 'p', { order: 10, egress: [{ action: 'Deny' }] }),
      gnp('p', { order: 10, egress: [{ action: 'Allow' }] }),
    ]);
    expect(both(state, tcp('10.0.0.1', '10.0.0.3')).egress).toMatchObject({
      action: 'Allow',
      decidedBy: 'p',
    });
  });

  it('matches network sets listed after the policies that select them (objects come in any order)', () => {
    const state = cluster([
      gnp('deny-ext', {
        ingress: [{ action: 'Deny', source: { selector: "app == 'ext'" } }, { action: 'Allow' }],
      }),
      {
        apiVersion: V3,
        kind: 'GlobalNetworkSet',
        metadata: { name: 'ext', labels: { app: 'ext' } },
        spec: { nets: ['192.168.9.0/24'] },
      },
    ]);
    expect(both(state, tcp('192.168.9.1', '10.0.0.1')).ingress).toMatchObject({
      action: 'Deny',
      decidedBy: 'deny-ext',
    });
  });

  it('gives a namespaced NetworkSet its namespace labels, a GlobalNetworkSet none', () => {
    const state = cluster([
      {
        apiVersion: V3,
        kind: 'NetworkSet',
        metadata: { name: 'n', namespace: 'a', labels: {} },
        spec: { nets: ['192.168.1.0/24'] },
      },
      {
        apiVersion: V3,
        kind: 'GlobalNetworkSet',
        metadata: { name: 'g', labels: {} },
        spec: { nets: ['192.168.2.0/24'] },
      },
      gnp('prod-only', {
        selector: "app == 'web'",
        ingress: [{ action: 'Allow', source: { namespaceSelector: "env == 'prod'" } }],
      }),
    ]);
    expect(both(state, tcp('192.168.1.5', '10.0.0.1')).ingress?.action).toBe('Allow');
    expect(both(state, tcp('192.168.2.5', '10.0.0.1')).ingress?.action).toBe('Deny');
    expect(both(state, tcp('10.0.0.3', '10.0.0.1')).ingress?.action).toBe('Deny');
  });

  it("rewrites a rule's all() and global() namespace selectors as Calico does", () => {
    const state = cluster([
      {
        apiVersion: V3,
        kind: 'GlobalNetworkSet',
        metadata: { name: 'g', labels: {} },
        spec: { nets: ['192.168.2.0/24'] },
      },
      gnp('ns', {
        selector: "app == 'web'",
        ingress: [
          { action: 'Deny', source: { namespaceSelector: 'global()' } },
          { action: 'Allow', source: { namespaceSelector: 'all()' } },
        ],
      }),
    ]);
    expect(both(state, tcp('192.168.2.5', '10.0.0.1')).ingress?.action).toBe('Deny');
    expect(both(state, tcp('10.0.0.3', '10.0.0.1')).ingress?.action).toBe('Allow');
    // An address nothing holds matches neither (no selector matches it): the tier default denies.
    expect(both(state, tcp('172.16.0.1', '10.0.0.1')).ingress).toMatchObject({
      action: 'Deny',
      decidedBy: 'tier default',
    });
  });

  it('passes to the next tier and ends at the profile; a Deny tier default stops', () => {
    const tier = (name: string, order: number, defaultAction: string): CalicoResource => ({
      apiVersion: V3,
      kind: 'Tier',
      metadata: { name },
      spec: { order, defaultAction },
    });
    const pass = cluster([
      tier('first', 100, 'Pass'),
      gnp('first.nothing', {
        tier: 'first',
        ingress: [{ action: 'Deny', source: { selector: "app == 'none'" } }],
      }),
    ]);
    expect(both(pass, tcp('10.0.0.1', '10.0.0.2')).ingress).toMatchObject({
      action: 'Allow',
      decidedBy: 'profile kns.a',
    });
    const deny = cluster([
      tier('first', 100, 'Deny'),
      gnp('first.nothing', {
        tier: 'first',
        ingress: [{ action: 'Deny', source: { selector: "app == 'none'" } }],
      }),
    ]);
    expect(both(deny, tcp('10.0.0.1', '10.0.0.2')).ingress).toMatchObject({
      action: 'Deny',
      decidedBy: 'tier first',
    });
  });

  it('never enforces staged policies', () => {
    const state = cluster([
      {
        apiVersion: V3,
        kind: 'StagedGlobalNetworkPolicy',
        metadata: { name: 'deny-all' },
        spec: { ingress: [{ action: 'Deny' }] },
      },
    ]);
    expect(both(state, tcp('10.0.0.1', '10.0.0.2')).allowed).toBe(true);
  });

  it('matches a rule with ipVersion only on packets of that IP version', () => {
    const state = cluster([gnp('v6', { ingress: [{ action: 'Deny', ipVersion: 6 }, { action: 'Allow' }] })]);
    const dataplane = new ReferenceDataplane(state);
    expect(dataplane.decide(tcp('10.0.0.1', '10.0.0.3')).ingress?.action).toBe('Allow');
    expect(dataplane.decide(tcp('fd00::9', 'fd00::3')).ingress?.action).toBe('Deny');
  });

  it('refuses what it does not model instead of ignoring it', () => {
    const refused = (objects: CalicoResource[]) => {
      try {
        new ReferenceDataplane(cluster(objects));
      } catch (error) {
        expect(error).toBeInstanceOf(DataplaneError);
        return (error as DataplaneError).code;
      }
      return 'accepted';
    };
    expect(
      refused([gnp('s', { ingress: [{ action: 'Allow', destination: { services: { name: 'x' } } }] })]),
    ).toBe('UNSUPPORTED');
    expect(
      refused([
        gnp('n', { ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: ['http'] } }] }),
      ]),
    ).toBe('UNSUPPORTED');
    expect(refused([gnp('h', { ingress: [{ action: 'Allow', http: { methods: ['GET'] } }] })])).toBe(
      'UNSUPPORTED',
    );
    expect(refused([gnp('d', { preDNAT: true, applyOnForward: true, ingress: [{ action: 'Deny' }] })])).toBe(
      'UNSUPPORTED',
    );
    expect(refused([{ apiVersion: V3, kind: 'HostEndpoint', metadata: { name: 'h' }, spec: {} }])).toBe(
      'UNSUPPORTED',
    );
    expect(refused([gnp('t', { tier: 'missing', ingress: [{ action: 'Deny' }] })])).toBe('INVALID_OBJECT');
    expect(refused([gnp('x', { selector: 'app ==', ingress: [{ action: 'Deny' }] })])).toBe('INVALID_OBJECT');
  });
});
