import {
  type ControlPlane,
  type KubeApiServer,
  signUpTenant,
  startControlPlane,
  startKubeApiServer,
} from '@meshplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  API_SERVICE,
  apiSlice,
  clusterConfig,
  configApplied,
  EGRESS_TO_EU_DB,
  eventually,
  FEDERATED_API,
  federatedEndpoints,
  installAgent,
  type MeshAgent,
  must,
  networkSetNets,
  seedCluster,
  shopPod,
} from './mesh-fixtures.js';
import { CREATE_POLICY, CREATE_TIER } from './policies-fixtures.js';

/**
 * Deleting a cluster takes it out of every other cluster's bundle: two clusters with real agents
 * (kubernetes driver, each against its own test API server); the US cluster names the EU
 * cluster's pods in a policy and federates a Service with members in both.
 */

const EU_DB_IPS = ['10.1.0.10', '10.1.0.11'];
const EU_API_IP = '10.1.0.40';
const US_API_IP = '10.3.0.30';
const EU_IPS = [...EU_DB_IPS, EU_API_IP];

describe('deleting a cluster, end to end', () => {
  let cp: ControlPlane;
  let euKube: KubeApiServer;
  let usKube: KubeApiServer;
  let token: string;
  let eu: MeshAgent;
  let us: MeshAgent;

  /** Every address of the EU cluster's pods found in what the US agent wrote. */
  const euAddressesInUs = () =>
    [...networkSetNets(usKube), ...federatedEndpoints(usKube, 'shop', 'api-global')].filter((address) =>
      EU_IPS.includes(address.replace(/\/32$/, '')),
    );

  beforeAll(async () => {
    [cp, euKube, usKube] = await Promise.all([
      startControlPlane({ HEARTBEAT_INTERVAL_MS: '500', SESSION_TIMEOUT_MS: '3000' }),
      startKubeApiServer(),
      startKubeApiServer(),
    ]);
    seedCluster(euKube, [
      shopPod('db-0', EU_DB_IPS[0]!, { app: 'db' }),
      shopPod('db-1', EU_DB_IPS[1]!, { app: 'db' }),
      shopPod('api-0', EU_API_IP, { app: 'api' }),
    ]);
    euKube.create(API_SERVICE);
    euKube.create(apiSlice([EU_API_IP]));
    seedCluster(usKube, [
      shopPod('frontend-0', '10.3.0.20', { app: 'frontend' }),
      shopPod('api-0', US_API_IP, { app: 'api' }),
    ]);
    usKube.create(API_SERVICE);
    usKube.create(apiSlice([US_API_IP]));
    usKube.create(FEDERATED_API);
    token = (await signUpTenant(cp.gatewayUrl, 'Cluster Delete Co')).token;
    eu = await installAgent(cp, token, {
      name: 'eu-west-1',
      labels: { geo: 'eu' },
      driver: 'kubernetes',
      kube: euKube,
    });
    us = await installAgent(cp, token, {
      name: 'us-east-1',
      labels: { geo: 'us' },
      driver: 'kubernetes',
      kube: usKube,
    });
  });

  afterAll(async () => {
    const errors = (cp?.logs ?? []).filter((line) => line.includes('"level":50'));
    if (errors.length > 0) console.warn(errors.slice(-10).join('\n').slice(-6000));
    await Promise.all([eu?.kill(), us?.kill()]);
    await Promise.all([cp?.stop(), euKube?.close(), usKube?.close()]);
  });

  it('removes the deleted cluster from the other clusters: network sets, federated endpoints, clusters and endpoints', {
    timeout: 120_000,
  }, async () => {
    await must(cp.gatewayUrl, CREATE_TIER, { input: { name: 'security', order: 100 } }, token);
    await must(cp.gatewayUrl, CREATE_POLICY, { input: EGRESS_TO_EU_DB('security') }, token);

    // The US cluster holds the EU db pods as network sets and the EU api pod in its federated slice.
    await eventually(
      () =>
        networkSetNets(usKube).join() === EU_DB_IPS.map((ip) => `${ip}/32`).join() &&
        federatedEndpoints(usKube, 'shop', 'api-global').join() === [EU_API_IP, US_API_IP].join()
          ? true
          : undefined,
      30_000,
      "eu-west-1's pods in us-east-1",
    );
    const before = await configApplied(cp, token, us.clusterId, { what: 'us-east-1 applies its config' });

    const managedInEu = () =>
      [
        ['projectcalico.org/v3', 'Tier'],
        ['projectcalico.org/v3', 'GlobalNetworkPolicy'],
        ['projectcalico.org/v3', 'NetworkPolicy'],
        ['projectcalico.org/v3', 'GlobalNetworkSet'],
        ['projectcalico.org/v3', 'NetworkSet'],
        ['discovery.k8s.io/v1', 'EndpointSlice'],
      ].flatMap(([apiVersion, kind]) =>
        euKube
          .list(apiVersion!, kind!)
          .filter((o) => o.metadata.labels?.['app.kubernetes.io/managed-by'] === 'meshplane'),
      );
    const appliedInEu = managedInEu().length;

    await must(cp.gatewayUrl, 'mutation($id: ID!) { deleteCluster(id: $id) }', { id: eu.clusterId }, token);

    // US moves on to a version without any EU address, and applies it.
    const after = await eventually(
      async () => {
        const status = await clusterConfig(cp, token, us.clusterId);
        return status.appliedVersion > before.appliedVersion &&
          status.state === 'APPLIED' &&
          euAddressesInUs().length === 0
          ? status
          : undefined;
      },
      30_000,
      'us-east-1 applies a version without eu-west-1',
    );
    expect(after).toMatchObject({ desiredVersion: after.appliedVersion, state: 'APPLIED', errors: [] });
    expect(networkSetNets(usKube)).toEqual([]);
    // The federated Service keeps its local member's endpoint.
    expect(federatedEndpoints(usKube, 'shop', 'api-global')).toEqual([US_API_IP]);

    // The API no longer knows the cluster or its inventory; the US cluster's stays.
    const listed = await must<{
      clusters: { id: string }[];
      endpoints: { nodes: { clusterId: string; name: string }[] };
    }>(cp.gatewayUrl, '{ clusters { id } endpoints(first: 500) { nodes { clusterId name } } }', {}, token);
    expect(listed.clusters.map((c) => c.id)).toEqual([us.clusterId]);
    expect(listed.endpoints.nodes.filter((e) => e.clusterId === eu.clusterId)).toEqual([]);
    expect(listed.endpoints.nodes.map((e) => e.name).sort()).toEqual(['api-0', 'frontend-0']);
    const euEndpoints = await must<{ endpoints: { nodes: unknown[] } }>(
      cp.gatewayUrl,
      'query($c: ID) { endpoints(clusterId: $c) { nodes { name } } }',
      { c: eu.clusterId },
      token,
    );
    expect(euEndpoints.endpoints.nodes).toEqual([]);

    // The deleted cluster's own agent removed every object it had applied there, then stopped.
    const [offboarded] = await eventually(
      () => {
        const lines = eu.logged('offboarded: removed every object Meshplane managed in this cluster');
        return lines.length > 0 ? lines : undefined;
      },
      30_000,
      'eu-west-1 offboards',
    );
    expect(offboarded!.removed).toBe(appliedInEu);
    expect(managedInEu()).toEqual([]);
  });
});
