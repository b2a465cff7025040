/** Clusters with real agent processes for the federation end-to-end tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type ControlPlane,
  eventually,
  gql,
  type InstalledCluster,
  type KubeApiServer,
  registerAndInstall,
} from '@meshplane/testing';

export { eventually };

const repoRoot = new URL('../../', import.meta.url).pathname;

export async function must<T>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown>,
  token: string,
): Promise<T> {
  const result = await gql<T>(baseUrl, query, variables, token);
  if (result.errors?.length || !result.data)
    throw new Error(`${query.slice(0, 60)}… failed: ${JSON.stringify(result.errors)}`);
  return result.data;
}

export interface MeshAgent {
  clusterId: string;
  name: string;
  logs: string[];
  /** Log lines (parsed JSON) with this message, in order. */
  logged(message: string): Record<string, unknown>[];
  start(): void;
  kill(): Promise<void>;
}

/**
 * Registers a cluster, fetches its install manifest through the gateway, takes the bootstrap token
 * from its Secret and starts a real agent process with either driver. The credential and the
 * applied config version are kept in files, so a restarted agent resumes like a restarted pod.
 */
export async function installAgent(
  cp: ControlPlane,
  token: string,
  cluster: {
    name: string;
    labels: Record<string, string>;
    driver: 'kubernetes' | 'simulated';
    kube?: KubeApiServer;
    /** The scenario file: relative to the repository, or absolute. */
    scenario?: string;
    /** More agent variables (e.g. `MESHPLANE_GOLDMANE_*`). */
    env?: Record<string, string>;
  },
): Promise<MeshAgent> {
  const installed = await registerAndInstall(cp.gatewayUrl, token, cluster);
  return { ...startAgent(installed, cluster), clusterId: installed.clusterId };
}

/** Starts a real agent process with what a cluster's install manifest hands it. */
export function startAgent(
  installed: Omit<InstalledCluster, 'clusterId'>,
  cluster: {
    name: string;
    driver: 'kubernetes' | 'simulated';
    kube?: KubeApiServer;
    scenario?: string;
    env?: Record<string, string>;
  },
): Omit<MeshAgent, 'clusterId'> {
  const dir = mkdtempSync(join(tmpdir(), `meshplane-${cluster.name}-`));
  const env: Record<string, string> = {
    MESHPLANE_DRIVER: cluster.driver,
    MESHPLANE_BOOTSTRAP_TOKEN: installed.bootstrapToken,
    MESHPLANE_HUB_URL: installed.hubUrl,
    MESHPLANE_API_URL: installed.apiUrl,
    MESHPLANE_CREDENTIAL_FILE: join(dir, 'credential'),
    MESHPLANE_CONFIG_VERSION_FILE: join(dir, 'config-version.json'),
    MESHPLANE_BACKOFF_BASE_MS: '100',
    MESHPLANE_BACKOFF_CAP_MS: '1000',
    MESHPLANE_DELTA_WINDOW_MS: '20',
    LOG_LEVEL: 'info',
  };
  if (cluster.kube) {
    writeFileSync(join(dir, 'kubeconfig'), cluster.kube.kubeConfig().exportConfig());
    env.KUBECONFIG = join(dir, 'kubeconfig');
  }
  if (cluster.scenario) env.MESHPLANE_SCENARIO = resolve(repoRoot, cluster.scenario);
  Object.assign(env, cluster.env);

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const logs: string[] = [];
  const agent: Omit<MeshAgent, 'clusterId'> = {
    name: cluster.name,
    logs,
    logged: (message) =>
      logs
        .join('')
        .split('\n')
        .flatMap((line) => {
          try {
            const parsed = JSON.parse(line) as Record<string, unknown>;
            return parsed.msg === message || parsed.message === message ? [parsed] : [];
          } catch {
            return [];
          }
        }),
    start() {
      child = spawn(process.execPath, ['agent/dist/main.js'], {
        cwd: repoRoot,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout?.on('data', (c: Buffer) => logs.push(c.toString()));
      child.stderr?.on('data', (c: Buffer) => logs.push(c.toString()));
      exited = new Promise((resolve) => child!.once('exit', () => resolve()));
    },
    async kill() {
      child?.kill('SIGKILL');
      await exited;
    },
  };
  agent.start();
  return agent;
}

export const CALICO = 'projectcalico.org/v3';

/** A running, ready pod in namespace `shop` on `node-1`, as a test API server holds it. */
export function shopPod(name: string, ip: string, labels: Record<string, string>) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', labels },
    spec: { nodeName: 'node-1', serviceAccountName: 'default', containers: [{ name: 'c', image: 'nginx' }] },
    status: {
      phase: 'Running',
      podIP: ip,
      podIPs: [{ ip }],
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  };
}

/** Gives a test API server the namespace `shop`, the node `node-1` and these pods. */
export function seedCluster(kube: KubeApiServer, pods: ReturnType<typeof shopPod>[]) {
  kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  kube.create({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1' },
    status: { addresses: [{ type: 'InternalIP', address: '192.168.0.10' }] },
  });
  for (const p of pods) kube.create(p);
}

/**
 * The addresses of the remote pods' network sets an agent wrote (each pod once: a NetworkSet in
 * its namespace where the cluster has it, else a GlobalNetworkSet), sorted.
 */
export function networkSetNets(kube: KubeApiServer): string[] {
  return [...kube.list(CALICO, 'GlobalNetworkSet'), ...kube.list(CALICO, 'NetworkSet')]
    .flatMap((set) => (set as { spec?: { nets?: string[] } }).spec?.nets ?? [])
    .sort();
}

/** The ready addresses of the EndpointSlices Meshplane wrote for a federated Service, sorted. */
export function federatedEndpoints(kube: KubeApiServer, namespace: string, service: string): string[] {
  return kube
    .list('discovery.k8s.io/v1', 'EndpointSlice', namespace)
    .filter((slice) => slice.metadata.labels?.['kubernetes.io/service-name'] === service)
    .flatMap((slice) =>
      (
        (slice as unknown as { endpoints?: { addresses: string[]; conditions?: { ready?: boolean } }[] })
          .endpoints ?? []
      )
        .filter((e) => e.conditions?.ready !== false)
        .flatMap((e) => e.addresses),
    )
    .sort();
}

export interface ConfigStatus {
  desiredVersion: number;
  appliedVersion: number;
  state: string;
  errors: { kind: string; name: string; message: string }[];
}

/** A cluster's `config` as the API tells it. */
export async function clusterConfig(
  cp: ControlPlane,
  token: string,
  clusterId: string,
): Promise<ConfigStatus> {
  const data = await must<{ cluster: { config: ConfigStatus } }>(
    cp.gatewayUrl,
    'query($id: ID!) { cluster(id: $id) { config { desiredVersion appliedVersion state errors { kind name message } } } }',
    { id: clusterId },
    token,
  );
  return data.cluster.config;
}

/** Waits until a cluster has applied its desired version, and that version is above `after`. */
export function configApplied(
  cp: ControlPlane,
  token: string,
  clusterId: string,
  { after = 0, timeoutMs = 20_000, what = `${clusterId} applies its config` } = {},
): Promise<ConfigStatus> {
  return eventually(
    async () => {
      const status = await clusterConfig(cp, token, clusterId);
      return status.desiredVersion > after && status.state === 'APPLIED' ? status : undefined;
    },
    timeoutMs,
    what,
  );
}

/** A Service `api` in `shop` labelled app=api: a member of the federated Service {@link federatedApi}. */
export const API_SERVICE = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'api', namespace: 'shop', labels: { app: 'api' } },
  spec: {
    selector: { app: 'api' },
    ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
  },
};

/** The EndpointSlice of {@link API_SERVICE} with these ready (and not ready) addresses. */
export function apiSlice(ready: string[], notReady: string[] = []) {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'api-x1', namespace: 'shop', labels: { 'kubernetes.io/service-name': 'api' } },
    addressType: 'IPv4',
    endpoints: [
      ...ready.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
      ...notReady.map((ip) => ({ addresses: [ip], conditions: { ready: false } })),
    ],
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  };
}

/** A federated Service `api-global` in `shop` taking its endpoints from every Service labelled app=api. */
export const FEDERATED_API = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: {
    name: 'api-global',
    namespace: 'shop',
    annotations: { 'federation.meshplane.io/serviceSelector': "app == 'api'" },
  },
  spec: { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
};

/** A policy for the clusters labelled geo=us that lets their frontends reach eu-west-1's db pods. */
export const EGRESS_TO_EU_DB = (tier: string) => ({
  kind: 'GlobalNetworkPolicy',
  name: 'frontend-to-eu-db',
  spec: {
    tier,
    order: 10,
    selector: "app == 'frontend'",
    clusterSelector: "geo == 'us'",
    egress: [
      {
        action: 'Allow',
        protocol: 'TCP',
        destination: { selector: "meshplane.io/cluster == 'eu-west-1' && app == 'db'", ports: ['5432'] },
      },
    ],
  },
});
