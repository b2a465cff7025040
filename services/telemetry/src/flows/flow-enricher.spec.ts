import { describe, expect, it } from 'vitest';
import { enrichEnd, remotePeerIps, workloadName } from './flow-enricher.js';

describe('workloadName', () => {
  it("strips a pod's suffix and ReplicaSet hash only when the pod-template-hash label confirms it", () => {
    expect(workloadName('frontend-7d9f8b6c5d-x2k9p', '7d9f8b6c5d')).toBe('frontend');
    expect(workloadName('frontend-7d9f8b6c5d-*', '7d9f8b6c5d')).toBe('frontend');
    expect(workloadName('frontend-7d9f8b6c5d', '7d9f8b6c5d')).toBe('frontend');
    expect(workloadName('frontend-7d9f8b6c5d-*', undefined)).toBe('frontend-7d9f8b6c5d');
    expect(workloadName('my-app-v2', undefined)).toBe('my-app-v2');
  });
});

describe('enrichEnd', () => {
  it('places a local workload in the reporting cluster', () => {
    expect(
      enrichEnd(
        {
          name: 'api-abc12345-*',
          namespace: 'shop',
          type: 'wep',
          labels: { 'pod-template-hash': 'abc12345' },
        },
        'eu-west-1',
      ),
    ).toMatchObject({ cluster: 'eu-west-1', namespace: 'shop', workload: 'api' });
  });

  it("places a remote peer in its own cluster and namespace, from its network set's labels", () => {
    const end = enrichEnd(
      {
        name: 'mp-0123',
        namespace: 'shop',
        type: 'ns',
        labels: {
          'meshplane.io/cluster': 'us-east-1',
          'meshplane.io/namespace': 'shop',
          'app.kubernetes.io/name': 'db',
        },
      },
      'eu-west-1',
    );
    expect(end).toMatchObject({ cluster: 'us-east-1', namespace: 'shop', workload: 'db' });
    expect(end.labels).toEqual({ 'app.kubernetes.io/name': 'db' });
  });

  it("names a remote peer seen through its network set by its pod's workload when the address gives the pod", () => {
    const set = {
      name: 'mp-0123',
      namespace: 'shop',
      type: 'ns' as const,
      labels: { 'meshplane.io/cluster': 'us-east-1', 'meshplane.io/namespace': 'shop', app: 'postgres' },
      ip: '10.3.0.7',
    };
    const pod = (clusterName: string) => ({
      clusterName,
      namespace: 'shop',
      name: 'db-5b5b5b5b5b-q8r7s',
      labels: { app: 'postgres', 'pod-template-hash': '5b5b5b5b5b' },
    });
    expect(enrichEnd(set, 'eu-west-1', new Map([['10.3.0.7', [pod('us-east-1')]]]))).toMatchObject({
      cluster: 'us-east-1',
      namespace: 'shop',
      workload: 'db',
      name: 'db-5b5b5b5b5b-q8r7s',
    });
    // A pod of another cluster holding the address is not the one the set stands for.
    expect(enrichEnd(set, 'eu-west-1', new Map([['10.3.0.7', [pod('eu-central-1')]]]))).toMatchObject({
      cluster: 'us-east-1',
      workload: 'postgres',
    });
    expect(
      remotePeerIps([{ source: set, destination: { ...set, type: 'wep', ip: '10.1.0.1' } } as never]),
    ).toEqual(['10.3.0.7']);
  });

  it('leaves networks outside every cluster without a cluster', () => {
    expect(enrichEnd({ name: 'pub', namespace: '', type: 'pub', labels: {} }, 'eu-west-1')).toMatchObject({
      cluster: null,
      workload: 'pub',
    });
  });
});
