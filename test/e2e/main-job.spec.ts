import { type ControlPlane, eventually, gql, startControlPlane } from '@meshplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('the main job (npm start): control plane plus three simulated clusters through the real install path', () => {
  let cp: ControlPlane;
  let token: string;

  beforeAll(async () => {
    cp = await startControlPlane({ MESHPLANE_DEMO: '1' });
    const login = await gql<{ login: { token: string } }>(
      cp.gatewayUrl,
      'mutation { login(input: { tenant: "meshplane-demo", email: "demo@meshplane.local", password: "Meshplane-Demo-2026!" }) { token } }',
    );
    token = login.data!.login.token;
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

  it('shows the headline features on first start: a federated service across clusters, cross-cluster traffic, zone violations', async () => {
    const window = () => ({
      from: new Date(Date.now() - 15 * 60_000).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString(),
    });
    const { clusters, federatedServices } = (
      await gql<{
        clusters: Array<{ id: string; name: string }>;
        federatedServices: Array<{
          clusterId: string;
          name: string;
          members: Array<{ clusterId: string; addresses: string[] }>;
        }>;
      }>(
        cp.gatewayUrl,
        '{ clusters { id name } federatedServices { clusterId name members { clusterId addresses } } }',
        {},
        token,
      )
    ).data!;
    const nameOf = new Map(clusters.map((c) => [c.id, c.name]));
    const all = ['eu-central-1', 'eu-west-1', 'us-east-1'];
    // api-global in every cluster, with the api pods of all three as its endpoints.
    const apiGlobal = federatedServices.filter((s) => s.name === 'api-global');
    expect(apiGlobal.map((s) => nameOf.get(s.clusterId)).sort()).toEqual(all);
    for (const service of apiGlobal) {
      const withEndpoints = service.members.filter((m) => m.addresses.length > 0);
      expect(withEndpoints.map((m) => nameOf.get(m.clusterId)).sort()).toEqual(all);
    }
    expect(cp.logs).toContain(
      'Federated service shop/api-global in eu-west-1: 7 endpoints from eu-central-1, eu-west-1, us-east-1',
    );

    // Traffic between workloads of different clusters, the remote end named as its own workload.
    type Graph = {
      nodes: Array<{ id: string; kind: string; cluster: string | null; name: string }>;
      edges: Array<{ source: string; destination: string; crossCluster: boolean }>;
    };
    const crossing = await eventually(
      async () => {
        const graph = (
          await gql<{ serviceGraph: Graph }>(
            cp.gatewayUrl,
            'query($from: DateTime!, $to: DateTime!) { serviceGraph(from: $from, to: $to) { nodes { id kind cluster name } edges { source destination crossCluster } } }',
            window(),
            token,
          )
        ).data?.serviceGraph;
        const node = new Map(graph?.nodes.map((n) => [n.id, n]));
        const workloads = graph?.edges
          .map((e) => [node.get(e.source)!, node.get(e.destination)!] as const)
          .filter(([a, b]) => a.kind === 'WORKLOAD' && b.kind === 'WORKLOAD' && a.cluster !== b.cluster);
        return workloads?.length ? workloads : undefined;
      },
      30_000,
      'an edge between workloads of two clusters',
    );
    const [from, to] = crossing[0]!;
    expect(all).toContain(from.cluster);
    expect(all).toContain(to.cluster);

    // The demo's zone, declared once EU-US traffic had been recorded: those flows are its violations.
    expect(
      cp.logs.some((line) =>
        line.startsWith(
          'Compliance zone "eu" (geo == \'eu\') declared now, after EU-US traffic was recorded',
        ),
      ),
    ).toBe(true);
    const zones = (
      await gql<{ complianceZones: Array<{ id: string; name: string; clusterSelector: string }> }>(
        cp.gatewayUrl,
        '{ complianceZones { id name clusterSelector } }',
        {},
        token,
      )
    ).data!.complianceZones;
    expect(zones.map((z) => [z.name, z.clusterSelector])).toEqual([['eu', "geo == 'eu'"]]);
    type Report = {
      violations: number;
      blocked: number;
      zone: { forbiddenPairs: string[][] };
      evidence: Array<{
        deniedNow: boolean;
        flow: { source: { cluster: string }; destination: { cluster: string } };
      }>;
    };
    const report = async () =>
      (
        await gql<{ complianceReport: Report }>(
          cp.gatewayUrl,
          'query($z: ID!, $from: DateTime!, $to: DateTime!) { complianceReport(zoneId: $z, from: $from, to: $to) { violations blocked zone { forbiddenPairs } evidence { deniedNow flow { source { cluster } destination { cluster } } } } }',
          { z: zones[0]!.id, ...window() },
          token,
        )
      ).data!.complianceReport;
    const first = await report();
    expect(first.zone.forbiddenPairs.map((pair) => [...pair].sort())).toEqual(
      expect.arrayContaining([
        ['eu-west-1', 'us-east-1'],
        ['eu-central-1', 'us-east-1'],
      ]),
    );
    expect(first.violations).toBeGreaterThan(0);
    const eu = ['eu-central-1', 'eu-west-1'];
    for (const { flow, deniedNow } of first.evidence) {
      const ends = [flow.source.cluster, flow.destination.cluster];
      expect(ends.filter((c) => eu.includes(c))).toHaveLength(1);
      expect(ends).toContain('us-east-1');
      // The zone's tier denies such a flow now.
      expect(deniedNow).toBe(true);
    }
    // And the clusters enforce it: EU-US flows recorded since are denied.
    await eventually(async () => ((await report()).blocked > 0 ? true : undefined), 30_000, 'blocked flows');
  });
});
