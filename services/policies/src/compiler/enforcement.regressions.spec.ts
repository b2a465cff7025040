import { type CalicoResource, PolicyEvaluator, ReferenceDataplane } from '@meshplane/policy';
import { describe, expect, it } from 'vitest';
import { clusterState, type GeneratedTenant, podId, tenantWorld } from './enforcement.fixtures.js';
import { compileBundles } from './federation-compiler.js';

/**
 * Counterexamples of enforcement ≡ intent, kept by name: each compiles a small tenant, decides the
 * flow with the reference data plane in both clusters over their bundles, and checks the verdict
 * Meshplane computes over the tenant-wide world.
 */

const pod = (
  clusterId: string,
  cluster: string,
  namespace: string,
  name: string,
  app: string,
  ip: string,
) => ({
  clusterId,
  cluster,
  namespace,
  name,
  labels: { app },
  ip,
  serviceAccount: 'default',
});

function tenant(usNamespaces: Record<string, Record<string, string>>): GeneratedTenant {
  const pods = [
    pod('id-eu', 'eu-west-1', 'pay', 'db-0', 'db', '10.1.0.10'),
    pod('id-us', 'us-east-1', 'shop', 'web-0', 'web', '10.3.0.20'),
  ];
  const namespaceLabels = new Map([
    ['id-eu', new Map([['pay', { compliance: 'pci' }]])],
    ['id-us', new Map([['shop', {}], ...Object.entries(usNamespaces)])],
  ]);
  return {
    input: {
      tiers: [{ name: 'default', order: 1_000_000, defaultAction: 'Deny' }],
      clusters: [
        { id: 'id-eu', name: 'eu-west-1', labels: { geo: 'eu' } },
        { id: 'id-us', name: 'us-east-1', labels: { geo: 'us' } },
      ],
      policies: [
        {
          kind: 'GlobalNetworkPolicy',
          metadata: { name: 'web-to-pci-db' },
          spec: {
            selector: "app == 'web'",
            clusterSelector: "geo == 'us'",
            egress: [
              {
                action: 'Allow',
                destination: { namespaceSelector: "compliance == 'pci'", selector: "app == 'db'" },
              },
            ],
          },
        },
      ],
      endpoints: pods.map((p) => ({ ...p, ips: [p.ip] })),
      namespaces: [...namespaceLabels].flatMap(([clusterId, names]) =>
        [...names.keys()].map((name) => ({ clusterId, name })),
      ),
      zones: [],
    },
    namespaceLabels,
    accountLabels: new Map(),
    pods,
  };
}

function egressOfWebToDb(t: GeneratedTenant) {
  const bundles = compileBundles(t.input);
  const us = bundles.get('id-us')!.objects as unknown as CalicoResource[];
  const felix = new ReferenceDataplane(clusterState(t, 'id-us', us)).decide({
    source: '10.3.0.20',
    destination: '10.1.0.10',
    protocol: 'TCP',
    destinationPort: 5432,
  });
  const ours = new PolicyEvaluator(tenantWorld(t)).evaluate({
    source: { endpoint: podId(t.pods[1]!) },
    destination: { endpoint: podId(t.pods[0]!) },
    protocol: 'TCP',
    destinationPort: 5432,
  });
  return {
    sets: us.filter((o) => o.kind.endsWith('NetworkSet')),
    felix: felix.egress?.action,
    ours: ours.egress?.action,
  };
}

describe('enforcement ≡ intent: named cases', () => {
  it('a rule naming pods of another cluster through a namespaceSelector gets their network set, and Calico allows what Meshplane says', () => {
    const { sets, felix, ours } = egressOfWebToDb(tenant({ pay: { compliance: 'pci' } }));
    // us-east-1 has the namespace: the db pod is a NetworkSet there, which inherits pay's labels.
    expect(
      sets.map((set) => `${set.kind}/${set.metadata.namespace}/${set.metadata.labels?.['app']}`),
    ).toEqual(['NetworkSet/pay/db']);
    expect(felix).toBe('Allow');
    expect(ours).toBe('Allow');
  });

  it('a namespace labelled otherwise in the observing cluster decides there (namespace sameness), on both sides', () => {
    const { felix, ours } = egressOfWebToDb(tenant({ pay: { compliance: 'none' } }));
    expect(felix).toBe('Deny');
    expect(ours).toBe('Deny');
  });

  it('a pod whose namespace the observing cluster lacks is global there: no namespaceSelector matches it, on both sides', () => {
    const { sets, felix, ours } = egressOfWebToDb(tenant({}));
    expect(sets.map((set) => set.kind)).toEqual(['GlobalNetworkSet']);
    expect(felix).toBe('Deny');
    expect(ours).toBe('Deny');
  });
});
