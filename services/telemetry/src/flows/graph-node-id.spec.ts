import { describe, expect, it } from 'vitest';
import { graphNodeId, parseGraphNodeId } from './graph-node-id.js';

describe('service-graph node ids', () => {
  it('reads back every kind of id the service graph writes', () => {
    for (const node of [
      { kind: 'workload', cluster: 'eu-west-1', namespace: 'shop', name: 'api' },
      { kind: 'host', cluster: 'eu-west-1', namespace: '', name: 'node-1-eth0' },
      { kind: 'service', cluster: 'east', namespace: 'shop', name: 'db' },
      { kind: 'network', cluster: '', namespace: '', name: 'pub' },
      { kind: 'network', cluster: '', namespace: 'shop', name: 'partners/a' },
    ] as const) {
      expect(parseGraphNodeId(graphNodeId(node))).toEqual(node);
    }
  });

  it('refuses what the service graph never writes', () => {
    for (const id of [
      '',
      'workload',
      'workload:west/shop',
      'pod:west/shop/web',
      'workload://web',
      'network:west/shop/pub',
      'WORKLOAD:west/shop/web',
    ]) {
      expect(parseGraphNodeId(id)).toBeUndefined();
    }
  });
});
