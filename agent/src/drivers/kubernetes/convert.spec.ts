import { MAX_ANNOTATION_VALUE_LENGTH } from '@meshplane/protocol';
import { describe, expect, it } from 'vitest';
import {
  annotationsOf,
  endpointSliceToInventory,
  hostEndpointToInventory,
  podToInventory,
  serviceToInventory,
} from './convert.js';

describe('conversions', () => {
  it('drops last-applied-configuration and values over the protocol limit from annotations', () => {
    expect(
      annotationsOf({
        'kubectl.kubernetes.io/last-applied-configuration': '{}',
        big: 'x'.repeat(MAX_ANNOTATION_VALUE_LENGTH + 1),
        'federation.meshplane.io/serviceSelector': "app == 'api'",
      }),
    ).toEqual({ 'federation.meshplane.io/serviceSelector': "app == 'api'" });
  });

  it('reports a pod without a Ready condition as not ready, unscheduled, in the default account', () => {
    expect(
      podToInventory({ metadata: { name: 'p', namespace: 'ns' }, status: { phase: 'Pending' } }),
    ).toEqual({
      kind: 'pod',
      namespace: 'ns',
      name: 'p',
      labels: {},
      ips: [],
      nodeName: '',
      serviceAccount: 'default',
      ready: false,
      phase: 'Pending',
    });
  });

  it('reads a Service without selector as selector null, keeping named target ports and protocols', () => {
    const converted = serviceToInventory({
      metadata: { name: 'api-global', namespace: 'shop' },
      spec: {
        type: 'ClusterIP',
        clusterIPs: ['None'],
        ports: [{ name: 'dns', port: 53, targetPort: 'dns', protocol: 'UDP' }],
      },
    });
    expect(converted).toMatchObject({
      selector: null,
      clusterIPs: ['None'],
      ports: [{ name: 'dns', port: 53, targetPort: 'dns', protocol: 'UDP' }],
    });
  });

  it('reads an endpoint without a ready condition as ready, as Kubernetes does', () => {
    const slice = endpointSliceToInventory({
      metadata: { name: 's', namespace: 'shop' },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2'], conditions: { ready: false } }],
    });
    expect(slice.service).toBe('');
    expect(slice.endpoints.map((endpoint) => endpoint.ready)).toEqual([true, false]);
  });

  it('leaves out the interface of a HostEndpoint that covers every interface (*)', () => {
    const hostEndpoint = hostEndpointToInventory({
      metadata: { name: 'all' },
      spec: { node: 'worker-1', interfaceName: '*', expectedIPs: ['192.168.1.1'] },
    });
    expect(hostEndpoint).not.toHaveProperty('interfaceName');
  });
});
