import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ControlPlane, signUpTenant, startControlPlane } from '@meshplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { eventually, installAgent, type MeshAgent, must } from './mesh-fixtures.js';

/**
 * Two replicas of every process (MESHPLANE_REPLICAS=2): the launcher puts a load balancer on each
 * usual port, as a Kubernetes Service would. Agents spread over the two hubs; a config push and a
 * revocation reach whichever replica holds the socket (through Redis); a hub that dies loses no
 * config: its agents reconnect through the balancer and converge.
 */

/**
 * A demo scenario without its federated Services: their EndpointSlices follow the pods' churn, so
 * they would add config versions of their own, and this file counts the versions changes make.
 */
function withoutFederation(name: string): string {
  const scenario = parse(
    readFileSync(new URL(`../../agent/scenarios/${name}.yaml`, import.meta.url), 'utf8'),
  );
  scenario.services = scenario.services.filter((service: { federation?: string }) => !service.federation);
  const path = join(mkdtempSync(join(tmpdir(), 'meshplane-replicas-')), `${name}.yaml`);
  writeFileSync(path, stringify(scenario));
  return path;
}

const HUB_OFFSET = 10;
const STRIDE = 20;

// Two of every process share two cores with the rest of the suite (CI runs two test files at once):
// every wait here allows for a loaded machine.
describe('several replicas of every process behind one address', { timeout: 120_000 }, () => {
  let cp: ControlPlane;
  let token: string;
  const agents: MeshAgent[] = [];
  let policyId: string;

  const connectedPerHub = async () =>
    Promise.all(
      [1, 2].map(async (k) => {
        // A hub being restarted answers nothing: it holds no agents then.
        const metrics = await fetch(`http://127.0.0.1:${cp.port(HUB_OFFSET + k * STRIDE)}/metrics`).then(
          (response) => response.text(),
          () => '',
        );
        return Number(/^meshplane_agents_connected(?:\{[^}]*\})? (\d+)$/m.exec(metrics)?.[1] ?? 0);
      }),
    );

  const config = async (clusterId: string) =>
    (
      await must<{ cluster: { config: { desiredVersion: number; appliedVersion: number; state: string } } }>(
        cp.gatewayUrl,
        'query($id: ID!) { cluster(id: $id) { config { desiredVersion appliedVersion state } } }',
        { id: clusterId },
        token,
      )
    ).cluster.config;

  const allApplied = async (live: MeshAgent[], atLeast: number) => {
    for (const agent of live) {
      await eventually(
        async () => {
          const status = await config(agent.clusterId);
          return status.state === 'APPLIED' && status.appliedVersion >= atLeast ? status : undefined;
        },
        60_000,
        `${agent.name} applies version ${atLeast}`,
      );
    }
  };

  const setPort = (port: string) =>
    must<{ updatePolicy: { changeId: string } }>(
      cp.gatewayUrl,
      'mutation($id: ID!, $i: UpdatePolicyInput!) { updatePolicy(id: $id, input: $i) { changeId } }',
      { id: policyId, i: { spec: spec(port) } },
      token,
    );

  const spec = (port: string) => ({
    selector: "app == 'frontend'",
    clusterSelector: 'all()',
    ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: [port] } }],
  });

  beforeAll(async () => {
    cp = await startControlPlane({
      MESHPLANE_REPLICAS: '2',
      MESHPLANE_RESTART_ON_EXIT: '1',
      HEARTBEAT_INTERVAL_MS: '500',
      SESSION_TIMEOUT_MS: '3000',
    });
    token = (await signUpTenant(cp.gatewayUrl, 'Replicas Co')).token;
    for (const [i, scenario] of ['eu-west-1', 'eu-central-1', 'us-east-1', 'eu-west-1'].entries()) {
      agents.push(
        await installAgent(cp, token, {
          name: `replica-${i}`,
          labels: { env: 'prod' },
          driver: 'simulated',
          scenario: withoutFederation(scenario),
        }),
      );
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.kill()));
    await cp?.stop();
  });

  it('runs two of every process and spreads the agents over both hubs', async () => {
    for (const name of [
      'gateway',
      'tenants',
      'clusters',
      'clusters-worker',
      'policies',
      'policies-worker',
      'agent-hub',
    ]) {
      expect(cp.names).toContain(name);
      expect(cp.names).toContain(`${name}-2`);
    }
    const perHub = await eventually(
      async () => {
        const counts = await connectedPerHub();
        return counts[0]! + counts[1]! === agents.length ? counts : undefined;
      },
      60_000,
      'every agent connected to a hub',
    );
    expect(perHub[0]).toBeGreaterThan(0);
    expect(perHub[1]).toBeGreaterThan(0);
  });

  it('pushes a change to every cluster, whichever hub holds its socket, with one version per change', async () => {
    await allApplied(agents, 1);
    const created = await must<{ createPolicy: { policyId: string } }>(
      cp.gatewayUrl,
      'mutation($i: CreatePolicyInput!) { createPolicy(input: $i) { policyId } }',
      { i: { kind: 'GlobalNetworkPolicy', name: 'replicated', spec: spec('80') } },
      token,
    );
    policyId = created.createPolicy.policyId;
    await allApplied(agents, 2);
    await setPort('81');
    await allApplied(agents, 3);
    // Two policies workers compiled side by side: each change made exactly one version.
    for (const agent of agents) expect((await config(agent.clusterId)).desiredVersion).toBe(3);
  });

  // How fast is measured, not asserted (timed tests flake under load): the log line says it.
  it('disconnects a revoked cluster for good, whichever hub holds it', async () => {
    const victim = agents.at(-1)!;
    const started = Date.now();
    await must(
      cp.gatewayUrl,
      'mutation($id: ID!) { revokeCluster(id: $id) { id } }',
      { id: victim.clusterId },
      token,
    );
    // The hub holding the agent's socket closes it with "revoked" (4403), so the agent stops
    // instead of reconnecting, and the cluster shows disconnected.
    const [ended] = await eventually(
      async () => {
        const lines = victim.logged('the hub ended this agent for good; not reconnecting');
        return lines.length > 0 ? lines : undefined;
      },
      60_000,
      'the revoked agent told to stop for good',
    );
    expect(ended).toMatchObject({ code: 4403 });
    await eventually(
      async () => {
        const { cluster } = await must<{ cluster: { status: { connected: boolean } } }>(
          cp.gatewayUrl,
          'query($id: ID!) { cluster(id: $id) { status { connected } } }',
          { id: victim.clusterId },
          token,
        );
        return cluster.status.connected ? undefined : true;
      },
      60_000,
      'the revoked cluster shown disconnected',
    );
    console.info(`revoked → disconnected: ${Date.now() - started} ms`);
    agents.pop();
    await victim.kill();
  });

  // A killed hub's agents back off with jitter before they reconnect.
  it('loses no config when a hub dies: its agents reconnect through the balancer and converge', async () => {
    process.kill(cp.pid('agent-hub'), 'SIGKILL');
    await setPort('82');
    await allApplied(agents, 4);
    const counts = await eventually(
      async () => {
        const c = await connectedPerHub();
        return c[0]! + c[1]! === agents.length ? c : undefined;
      },
      60_000,
      'every agent reconnected to a hub',
    );
    expect(counts[0]! + counts[1]!).toBe(agents.length);
  });
});
