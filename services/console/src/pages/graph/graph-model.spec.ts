import { describe, expect, it } from 'vitest';
import { graphModel, verdictOf } from './graph-model';

const node = (id: string, cluster: string | null) => ({
  id,
  kind: id.split(':')[0]!.toUpperCase() as 'WORKLOAD' | 'NETWORK',
  cluster,
  namespace: cluster ? 'shop' : '',
  name: id.split('/').at(-1)!,
});
const edge = (
  source: string,
  destination: string,
  crossCluster: boolean,
  allowed: number,
  denied: number,
) => ({
  source,
  destination,
  crossCluster,
  bytes: 100,
  packets: 1,
  connections: 1,
  allowedFlows: allowed,
  deniedFlows: denied,
  policies: [],
  ports: ['tcp/80'],
});

const nodes = [
  node('workload:east/shop/db', 'east'),
  node('workload:west/shop/web', 'west'),
  node('workload:west/shop/api', 'west'),
  node('network://pub', null),
];
const edges = [
  edge('workload:west/shop/web', 'workload:east/shop/db', true, 3, 0),
  edge('workload:west/shop/web', 'workload:west/shop/api', false, 2, 1),
  edge('workload:west/shop/api', 'network://pub', false, 0, 4),
];
const threats = {
  deniedSpikes: [
    {
      minute: 'm',
      role: 'source',
      cluster: 'west',
      namespace: 'shop',
      workload: 'api',
      deniedFlows: 4,
      baseline: 0,
    },
    {
      minute: 'n',
      role: 'source',
      cluster: 'west',
      namespace: 'shop',
      workload: 'api',
      deniedFlows: 9,
      baseline: 1,
    },
  ],
  zoneCrossings: [
    { zoneId: 'z', zone: 'eu-only', sourceCluster: 'west', destinationCluster: 'east', flows: 3, bytes: 100 },
  ],
};

describe('the graph model', () => {
  it('gives each edge its verdict: allowed, denied or both', () => {
    expect(verdictOf({ allowedFlows: 1, deniedFlows: 0 })).toBe('allowed');
    expect(verdictOf({ allowedFlows: 0, deniedFlows: 1 })).toBe('denied');
    expect(verdictOf({ allowedFlows: 1, deniedFlows: 1 })).toBe('mixed');
    expect(verdictOf({ allowedFlows: 0, deniedFlows: 0 })).toBe('other');
  });

  it('marks allowed traffic across a compliance zone and the largest denied-flow spike of a workload', () => {
    const model = graphModel({ nodes, edges }, threats, { crossClusterOnly: false });
    expect(model.edges.map((e) => [e.key, e.verdict, e.violations])).toEqual([
      ['workload:west/shop/web → workload:east/shop/db', 'allowed', ['eu-only']],
      ['workload:west/shop/web → workload:west/shop/api', 'mixed', []],
      ['workload:west/shop/api → network://pub', 'denied', []],
    ]);
    expect(model.nodes.find((n) => n.id === 'workload:west/shop/api')?.spike).toEqual({
      deniedFlows: 9,
      baseline: 1,
    });
    expect(model.nodes.filter((n) => n.spike).map((n) => n.id)).toEqual(['workload:west/shop/api']);
  });

  it('keeps, cross-cluster only, the edges between clusters and the nodes they join', () => {
    const model = graphModel({ nodes, edges }, threats, { crossClusterOnly: true });
    expect(model.edges.map((e) => e.key)).toEqual(['workload:west/shop/web → workload:east/shop/db']);
    expect(model.nodes.map((n) => n.id)).toEqual(['workload:east/shop/db', 'workload:west/shop/web']);
  });
});
