/** Every long-running process of the control plane, as the launcher starts them. */
export interface ProcessSpec {
  name: string;
  /** Entry file, relative to the repository root. */
  entry: string;
  /** Variable carrying its port, and its offset from the port base. */
  portVariable: string;
  portOffset: number;
  /** Node/V8 flags before the entry file (also in the Kubernetes and compose definitions). */
  nodeArgs?: readonly string[];
}

/**
 * The agent hub holds thousands of mostly idle sockets: a V8 tuned for size keeps its resident
 * memory near its live memory (about 9 KB per connection instead of about 37 KB, measured by
 * test/bench/agents with 10,000 agents), for some CPU (about 18 % of a core instead of 9 % with
 * 10,000 agents' heartbeats). infra/k8s and infra/docker start it the same way.
 */
export const AGENT_HUB_NODE_ARGS: readonly string[] = ['--optimize-for-size'];

/** Ports between replicas of one process: replica k (1-based) of a process listens on its port + k × this. */
export const REPLICA_PORT_STRIDE = 20;

/** Processes others connect to: with several replicas, a load balancer takes their usual port. */
export const BALANCED = new Set(['gateway', 'tenants', 'clusters', 'policies', 'telemetry', 'agent-hub']);

export const CONTROL_PLANE: readonly ProcessSpec[] = [
  { name: 'tenants', entry: 'services/tenants/dist/main.js', portVariable: 'TENANTS_PORT', portOffset: 1 },
  { name: 'clusters', entry: 'services/clusters/dist/main.js', portVariable: 'CLUSTERS_PORT', portOffset: 2 },
  {
    name: 'clusters-worker',
    entry: 'services/clusters/dist/worker.js',
    portVariable: 'CLUSTERS_WORKER_PORT',
    portOffset: 5,
  },
  { name: 'policies', entry: 'services/policies/dist/main.js', portVariable: 'POLICIES_PORT', portOffset: 3 },
  {
    name: 'policies-worker',
    entry: 'services/policies/dist/worker.js',
    portVariable: 'POLICIES_WORKER_PORT',
    portOffset: 6,
  },
  {
    name: 'telemetry',
    entry: 'services/telemetry/dist/main.js',
    portVariable: 'TELEMETRY_PORT',
    portOffset: 4,
  },
  {
    name: 'telemetry-worker',
    entry: 'services/telemetry/dist/worker.js',
    portVariable: 'TELEMETRY_WORKER_PORT',
    portOffset: 7,
  },
  {
    name: 'agent-hub',
    entry: 'services/agent-hub/dist/main.js',
    portVariable: 'AGENT_HUB_PORT',
    portOffset: 10,
    nodeArgs: AGENT_HUB_NODE_ARGS,
  },
  { name: 'gateway', entry: 'services/gateway/dist/main.js', portVariable: 'GATEWAY_PORT', portOffset: 0 },
];

/** The environment that places every process on `base + offset` and points the gateway at the subgraphs. */
export function portEnvironment(base: number): Record<string, string> {
  const env: Record<string, string> = {};
  for (const spec of CONTROL_PLANE) env[spec.portVariable] = String(base + spec.portOffset);
  for (const name of ['tenants', 'clusters', 'policies', 'telemetry']) {
    const spec = CONTROL_PLANE.find((p) => p.name === name)!;
    env[`${name.toUpperCase()}_URL`] = `http://127.0.0.1:${base + spec.portOffset}/graphql`;
  }
  env.CLUSTERS_INTERNAL_URL = `http://127.0.0.1:${base + 2}`;
  env.POLICIES_INTERNAL_URL = `http://127.0.0.1:${base + 3}`;
  // Where agents are told to reach Meshplane, unless the operator set public URLs.
  env.PUBLIC_BASE_URL = process.env.PUBLIC_BASE_URL ?? `http://127.0.0.1:${base}`;
  env.AGENT_HUB_PUBLIC_URL = process.env.AGENT_HUB_PUBLIC_URL ?? `ws://127.0.0.1:${base + 10}/agents`;
  return env;
}

export const repoRoot = new URL('../../../', import.meta.url).pathname;
