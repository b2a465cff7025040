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
