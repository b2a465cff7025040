import type { NodeObject } from '@meshplane/protocol';
import { describe, expect, it } from 'vitest';
import { CLUSTERS } from '../compiler/compiler.fixtures.js';
import type { Located } from '../compiler/compiler.types.js';
import { encryptionStatus } from './encryption-status.js';

const node = (clusterId: string, name: string, key?: string): Located<NodeObject> => ({
  clusterId,
  object: {
    kind: 'node',
    name,
    labels: {},
    annotations: key === undefined ? {} : { 'projectcalico.org/WireguardPublicKey': key },
    internalIPs: ['192.168.0.1'],
  },
});

const NODES = [
  node('c-eu-west', 'eu-w-1', 'a2V5MQ=='),
  node('c-eu-west', 'eu-w-2', 'a2V5Mg=='),
  node('c-us-east', 'us-1', 'a2V5Mw=='),
  node('c-us-east', 'us-2'),
  // eu-central-1 reports no node at all.
];

describe('encryption status', () => {
  it('marks a pair encrypted only when both sides have WireGuard on and every node has a key', () => {
    const status = encryptionStatus(CLUSTERS, NODES, { meshWide: { wireguardEnabled: true } });
    const pair = (a: string, b: string) =>
      status.pairs.find((p) => [p.clusterA, p.clusterB].sort().join() === [a, b].sort().join())!;
    expect(status.pairs).toHaveLength(3);
    expect(pair('c-eu-west', 'c-us-east')).toMatchObject({
      encrypted: false,
      blockers: [{ clusterId: 'c-us-east', reason: 'NODES_WITHOUT_PUBLIC_KEY' }],
    });
    expect(pair('c-eu-west', 'c-eu-central')).toMatchObject({
      encrypted: false,
      blockers: [{ clusterId: 'c-eu-central', reason: 'NO_NODES_REPORTED' }],
    });
    const usEast = status.clusters.find((c) => c.clusterId === 'c-us-east')!;
    expect(usEast).toMatchObject({ nodeCount: 2, nodesWithPublicKey: 1, nodesWithoutPublicKey: ['us-2'] });
  });

  it('says which side has the setting off; a cluster override wins over the mesh-wide setting', () => {
    const nodes = [
      ...NODES.filter((n) => n.object.name !== 'us-2'),
      node('c-eu-central', 'eu-c-1', 'a2V5NA=='),
    ];
    const status = encryptionStatus(CLUSTERS, nodes, {
      meshWide: { wireguardEnabled: true },
      clusters: { 'c-eu-central': { wireguardEnabled: false } },
    });
    const encrypted = status.pairs
      .filter((p) => p.encrypted)
      .map((p) => [p.clusterA, p.clusterB].sort().join('+'));
    expect(encrypted).toEqual(['c-eu-west+c-us-east']);
    for (const p of status.pairs.filter((x) => !x.encrypted))
      expect(p.blockers).toEqual([{ clusterId: 'c-eu-central', reason: 'WIREGUARD_DISABLED' }]);
  });

  it('reports every cluster disabled when nothing is set (Calico’s default is off)', () => {
    const status = encryptionStatus(CLUSTERS, NODES, undefined);
    expect(status.clusters.every((c) => c.blockers.includes('WIREGUARD_DISABLED'))).toBe(true);
    expect(status.pairs.some((p) => p.encrypted)).toBe(false);
  });
});
