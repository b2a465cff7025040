import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ControlPlane,
  eventually,
  gql,
  type KubeApiServer,
  signUpTenant,
  startControlPlane,
  startKubeApiServer,
} from '@meshplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const repoRoot = new URL('../../', import.meta.url).pathname;

function pod(name: string, ip: string, labels: Record<string, string> = { app: 'web' }) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', labels },
    spec: { nodeName: 'node-1', serviceAccountName: 'web', containers: [{ name: 'web', image: 'nginx' }] },
    status: {
      phase: 'Running',
      podIP: ip,
      podIPs: [{ ip }],
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  };
}

describe('the real agent (kubernetes driver) against the test Kubernetes API server, end to end', () => {
  let cp: ControlPlane;
  let kube: KubeApiServer;
  let agent: ChildProcess;
  let agentExit: Promise<number | null>;
  const agentLogs: string[] = [];
  let owner: Awaited<ReturnType<typeof signUpTenant>>;
  let clusterId: string;

  const endpoints = async () =>
    (
      await gql<{ endpoints: { nodes: Array<{ name: string; ips: string[]; ready: boolean }> } }>(
        cp.gatewayUrl,
        'query($c: ID) { endpoints(clusterId: $c) { nodes { name ips ready } } }',
        { c: clusterId },
        owner.token,
      )
    ).data?.endpoints.nodes ?? [];
  const names = async () => (await endpoints()).map((e) => e.name).join(',');
  const connected = async () =>
    (
      await gql<{
        cluster: {
          status: {
            connected: boolean;
            kubernetesVersion: string | null;
            calicoVersion: string | null;
            calicoKinds: string[] | null;
          };
        };
      }>(
        cp.gatewayUrl,
        'query($id: ID!) { cluster(id: $id) { status { connected kubernetesVersion calicoVersion calicoKinds } } }',
        { id: clusterId },
        owner.token,
      )
    ).data?.cluster.status;

  beforeAll(async () => {
    [cp, kube] = await Promise.all([
      startControlPlane({
        MESHPLANE_RESTART_ON_EXIT: '1',
        HEARTBEAT_INTERVAL_MS: '500',
        SESSION_TIMEOUT_MS: '3000',
      }),
      startKubeApiServer(),
    ]);
    kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { env: 'prod' } } });
    kube.create({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-1' },
      status: { addresses: [{ type: 'InternalIP', address: '192.168.0.10' }] },
    });
    kube.create(pod('web-1', '10.1.0.1'));
    kube.create({
      apiVersion: 'projectcalico.org/v3',
      kind: 'ClusterInformation',
      metadata: { name: 'default' },
      spec: { calicoVersion: 'v3.30.2' },
    });
    owner = await signUpTenant(cp.gatewayUrl, 'Kube Driver Co');

    const registered = await gql<{ registerCluster: { cluster: { id: string }; installCommand: string } }>(
      cp.gatewayUrl,
      'mutation($i: RegisterClusterInput!) { registerCluster(input: $i) { cluster { id } installCommand } }',
      { i: { name: 'kind-local', labels: [{ key: 'geo', value: 'eu' }] } },
      owner.token,
    );
    clusterId = registered.data!.registerCluster.cluster.id;
    const manifest = await fetch(registered.data!.registerCluster.installCommand.split(' ').at(-1)!);
    const secret = parseAllDocuments(await manifest.text())
      .map((d) => d.toJS())
      .find((d) => d.kind === 'Secret');

    const dir = mkdtempSync(join(tmpdir(), 'meshplane-agent-e2e-'));
    writeFileSync(join(dir, 'kubeconfig'), kube.kubeConfig().exportConfig());
    agent = spawn(process.execPath, ['agent/dist/main.js'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        MESHPLANE_DRIVER: 'kubernetes',
        KUBECONFIG: join(dir, 'kubeconfig'),
        MESHPLANE_BOOTSTRAP_TOKEN: secret.stringData['bootstrap-token'],
        MESHPLANE_HUB_URL: secret.stringData['hub-url'],
        MESHPLANE_API_URL: secret.stringData['api-url'],
        MESHPLANE_CREDENTIAL_FILE: join(dir, 'credential'),
        MESHPLANE_BACKOFF_BASE_MS: '100',
        MESHPLANE_BACKOFF_CAP_MS: '1000',
        MESHPLANE_DELTA_WINDOW_MS: '20',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    agent.stdout?.on('data', (c: Buffer) => agentLogs.push(c.toString()));
    agent.stderr?.on('data', (c: Buffer) => agentLogs.push(c.toString()));
    agentExit = new Promise((resolve) => agent.once('exit', (code) => resolve(code)));
  });

  afterAll(async () => {
    agent?.kill('SIGKILL');
    await Promise.all([cp?.stop(), kube?.close()]);
  });

  it('connects through the install path and reports the cluster and its pods', async () => {
    const status = await eventually(async () => {
      const s = await connected();
      return s?.connected ? s : undefined;
    });
    expect(status.kubernetesVersion).toBe('v1.31.0');
    expect(status.calicoVersion).toBe('v3.30.2');
    expect(status.calicoKinds).toEqual(expect.arrayContaining(['StagedNetworkPolicy', 'Tier']));
    expect(await eventually(async () => ((await names()) === 'web-1' ? true : undefined))).toBe(true);
    expect(await endpoints()).toEqual([{ name: 'web-1', ips: ['10.1.0.1'], ready: true }]);
  });

  it('shows a pod created in the cluster within a second, and drops a deleted one', async () => {
    const started = Date.now();
    kube.create(pod('web-2', '10.1.0.2'));
    await eventually(async () => ((await names()) === 'web-1,web-2' ? true : undefined), 1_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    kube.delete('v1', 'Pod', 'shop', 'web-1');
    await eventually(async () => ((await names()) === 'web-2' ? true : undefined), 1_000);
  });

  // The hub comes back a second after the kill, then boots Nest; on a loaded two-core machine that
  // and the agent's jittered back-off take well over the 20 s an idle machine needs.
  it('reconnects after the hub is killed and resyncs, with nothing lost or duplicated', {
    timeout: 120_000,
  }, async () => {
    const hubPid = cp.pid('agent-hub');
    process.kill(hubPid, 'SIGKILL');
    kube.create(pod('web-3', '10.1.0.3'));
    kube.delete('v1', 'Pod', 'shop', 'web-2');
    await eventually(async () => ((await names()) === 'web-3' ? true : undefined), 60_000);
    expect((await connected())?.connected).toBe(true);
    expect(await endpoints()).toEqual([{ name: 'web-3', ips: ['10.1.0.3'], ready: true }]);
  });

  // The hub ends a live session for good (close 4403); an agent that is between sessions when the
  // cluster is revoked only ever hears "unauthenticated" and keeps retrying, as it must for a
  // credential that may yet be rotated. So the test revokes a connected agent.
  it('is disconnected by revokeCluster and not let back in', { timeout: 120_000 }, async () => {
    await eventually(async () => ((await connected())?.connected ? true : undefined), 60_000);
    const revoked = await gql(
      cp.gatewayUrl,
      'mutation($id: ID!) { revokeCluster(id: $id) { id } }',
      { id: clusterId },
      owner.token,
    );
    expect(revoked.errors).toBeUndefined();
    const code = await Promise.race([
      agentExit,
      new Promise((r) => setTimeout(() => r('still running'), 30_000)),
    ]);
    expect(code, agentLogs.join('').slice(-2000)).not.toBe('still running');
    expect(code).not.toBe(0);
    expect((await connected())?.connected).toBe(false);
  });
});
