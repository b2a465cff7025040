import { type ControlPlane, gql, startControlPlane } from '@meshplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('the main job (npm start): control plane plus three simulated clusters through the real install path', () => {
  let cp: ControlPlane;

  beforeAll(async () => {
    cp = await startControlPlane({ MESHPLANE_DEMO: '1' });
  });

  afterAll(async () => {
    await cp?.stop();
  });

  it('starts an agent per demo cluster, each connected with inventory, in the demo tenant', async () => {
    expect(cp.names.filter((n) => n.startsWith('agent:'))).toEqual([
      'agent:eu-west-1',
      'agent:eu-central-1',
      'agent:us-east-1',
    ]);
    expect(cp.logs.some((line) => /^ {2}eu-west-1 +connected=true +endpoints=\d+/.test(line))).toBe(true);
    expect(cp.logs).toContain(`Console: ${cp.gatewayUrl}/`);
    expect(cp.logs).toContain(
      '  demo login: tenant meshplane-demo, email demo@meshplane.local, password Meshplane-Demo-2026!',
    );
    const index = await fetch(`${cp.gatewayUrl}/`);
    expect([index.status, (await index.text()).includes('<div id="root"></div>')]).toEqual([200, true]);
    const login = await gql<{ login: { token: string } }>(
      cp.gatewayUrl,
      'mutation { login(input: { tenant: "meshplane-demo", email: "demo@meshplane.local", password: "Meshplane-Demo-2026!" }) { token } }',
    );
    const token = login.data!.login.token;
    const clusters = await gql<{
      clusters: Array<{
        name: string;
        labels: Array<{ key: string; value: string }>;
        status: { connected: boolean };
      }>;
    }>(cp.gatewayUrl, '{ clusters { name labels { key value } status { connected } } }', {}, token);
    expect(clusters.data?.clusters.map((c) => [c.name, c.status.connected])).toEqual([
      ['eu-central-1', true],
      ['eu-west-1', true],
      ['us-east-1', true],
    ]);
    const usEast = clusters.data!.clusters.find((c) => c.name === 'us-east-1')!;
    expect(usEast.labels).toEqual([
      { key: 'env', value: 'prod' },
      { key: 'geo', value: 'us' },
      { key: 'region', value: 'us-east-1' },
    ]);
    const endpoints = await gql<{ endpoints: { nodes: Array<{ namespace: string }> } }>(
      cp.gatewayUrl,
      '{ endpoints(first: 500) { nodes { namespace } } }',
      {},
      token,
    );
    expect(new Set(endpoints.data?.endpoints.nodes.map((n) => n.namespace))).toContain('shop');
  });
});
