import {
  type ControlPlane,
  type KubeApiServer,
  signUpTenant,
  startControlPlane,
  startKubeApiServer,
} from '@meshplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestGoldmane } from '../../agent/src/telemetry/goldmane/spec-support/test-goldmane.js';
import { createTestPki, type TestPki } from '../../agent/src/telemetry/goldmane/spec-support/test-pki.js';
import { eventually, installAgent, type MeshAgent, must } from './mesh-fixtures.js';

/**
 * Calico Goldmane as the flow source, end to end: a real agent process (kubernetes driver against
 * a test API server) streams `Flows.Stream` over mutual TLS from a local Goldmane stand-in, and
 * the flows reach Postgres through the hub's pull, the queue and the telemetry worker.
 */

// biome-ignore lint/suspicious/noExplicitAny: the test reads GraphQL answers loosely
type Loose = any;

const FLOWS = `query($filter: FlowFilter) { flows(filter: $filter, first: 20) { nodes {
  seq action protocol reporter
  source { cluster namespace workload name type labels { key value } }
  destination { cluster namespace workload name type port }
  service { name port } policies { tier name calicoName namespace action ruleIndex staged }
  bytesIn bytesOut } } }`;

function flow(start: number, key: Record<string, unknown>, stats: Record<string, unknown> = {}) {
  return {
    id: 1,
    flow: {
      Key: {
        source_name: 'frontend-6f7d9c8b5-*',
        source_namespace: 'shop',
        source_type: 'WorkloadEndpoint',
        dest_name: 'cart-5c8b4d6f7-*',
        dest_namespace: 'shop',
        dest_type: 'WorkloadEndpoint',
        dest_port: 8080,
        dest_service_name: 'cart',
        dest_service_namespace: 'shop',
        dest_service_port_name: 'http',
        dest_service_port: 80,
        proto: 'tcp',
        reporter: 'Dst',
        action: 'Allow',
        ...key,
      },
      start_time: start,
      end_time: start + 15,
      source_labels: ['app=frontend', 'pod-template-hash=6f7d9c8b5'],
      dest_labels: ['app=cart', 'pod-template-hash=5c8b4d6f7'],
      packets_in: 4,
      packets_out: 4,
      bytes_in: 400,
      bytes_out: 800,
      num_connections_started: 1,
      num_connections_completed: 1,
      ...stats,
    },
  };
}

describe('Calico Goldmane flows: agent over mTLS gRPC → hub → worker → flows query', () => {
  let cp: ControlPlane;
  let kube: KubeApiServer;
  let pki: TestPki;
  let goldmane: TestGoldmane;
  let agent: MeshAgent;
  let token: string;

  beforeAll(async () => {
    [cp, kube, pki] = await Promise.all([startControlPlane(), startKubeApiServer(), createTestPki()]);
    goldmane = await TestGoldmane.start(pki.ca, pki.server);
    kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    token = (await signUpTenant(cp.gatewayUrl, 'Goldmane Co')).token;
    agent = await installAgent(cp, token, {
      name: 'gm-1',
      labels: { env: 'prod' },
      driver: 'kubernetes',
      kube,
      env: {
        MESHPLANE_GOLDMANE_ADDRESS: goldmane.address,
        MESHPLANE_GOLDMANE_CA_FILE: pki.ca,
        MESHPLANE_GOLDMANE_CERT_FILE: pki.client.cert,
        MESHPLANE_GOLDMANE_KEY_FILE: pki.client.key,
      },
    });
  }, 120_000);

  afterAll(async () => {
    await agent?.kill();
    await goldmane?.close();
    await pki?.remove();
    await kube?.close();
    await cp?.stop();
  });

  const flows = async (): Promise<Loose[]> =>
    (await must<Loose>(cp.gatewayUrl, FLOWS, { filter: { clusterId: agent.clusterId } }, token)).flows.nodes;

  it('stores what Goldmane streams, enriched, with enforced and staged policy hits', {
    timeout: 60_000,
  }, async () => {
    const call = await goldmane.nextCall();
    const now = Math.floor(Date.now() / 1_000);
    const window = now - (now % 15) - 30;
    call.send(
      flow(window, {
        policies: {
          enforced_policies: [
            {
              kind: 'CalicoNetworkPolicy',
              namespace: 'shop',
              name: 'default.allow-frontend',
              tier: 'default',
              action: 'Allow',
              policy_index: 0,
              rule_index: 0,
            },
          ],
          pending_policies: [
            {
              kind: 'StagedGlobalNetworkPolicy',
              name: 'security.lockdown',
              tier: 'security',
              action: 'Deny',
              policy_index: 0,
              rule_index: 2,
            },
          ],
        },
      }),
    );
    call.send(flow(window, { source_name: 'scanner-*', action: 'Deny', reporter: 'Src' }, { bytes_in: 0 }));

    const stored = await eventually(async () => {
      const nodes = await flows();
      expect(nodes).toHaveLength(2);
      return nodes;
    }, 30_000);
    const allowed = stored.find((f) => f.action === 'ALLOW');
    expect(allowed).toMatchObject({
      protocol: 'tcp',
      reporter: 'dst',
      source: {
        cluster: 'gm-1',
        namespace: 'shop',
        workload: 'frontend',
        name: 'frontend-6f7d9c8b5-*',
        type: 'wep',
      },
      destination: { cluster: 'gm-1', namespace: 'shop', workload: 'cart', type: 'wep', port: 8080 },
      service: { name: 'cart', port: 80 },
      bytesIn: 400,
      bytesOut: 800,
    });
    expect(allowed.source.labels).toContainEqual({ key: 'app', value: 'frontend' });
    expect(allowed.policies).toEqual([
      {
        // Named as the policies API does; Calico's (Goldmane's) name beside it.
        tier: 'default',
        name: 'allow-frontend',
        calicoName: 'default.allow-frontend',
        namespace: 'shop',
        action: 'ALLOW',
        ruleIndex: 0,
        staged: false,
      },
      {
        tier: 'security',
        name: 'lockdown',
        calicoName: 'security.lockdown',
        namespace: null,
        action: 'DENY',
        ruleIndex: 2,
        staged: true,
      },
    ]);
    expect(stored.find((f) => f.action === 'DENY')?.source.workload).toBe('scanner');
  });

  it('resumes after the gRPC connection breaks: nothing lost, nothing doubled', {
    timeout: 60_000,
  }, async () => {
    const now = Math.floor(Date.now() / 1_000);
    const window = now - (now % 15) - 15;
    const first = goldmane.calls.at(-1)!;
    first.send(flow(window, { source_name: 'batch-*' }));
    await eventually(async () => {
      expect(await flows()).toHaveLength(3);
      return true;
    }, 30_000);

    goldmane.breakConnections();
    const again = await goldmane.nextCall();
    expect(Number(again.request.start_time_gte)).toBe(window);
    // Goldmane re-sends the window the stream was cut in, then what came after.
    again.send(flow(window, { source_name: 'batch-*' }));
    again.send(flow(window + 15, { source_name: 'late-*' }));
    await eventually(async () => {
      const nodes = await flows();
      expect(nodes.map((f: Loose) => f.source.workload).sort()).toEqual([
        'batch',
        'frontend',
        'late',
        'scanner',
      ]);
      return true;
    }, 30_000);
    expect(agent.logs.join('')).not.toContain('"level":"error"');
  });
});
