/**
 * What the fault drills share: a control plane with short timeouts, real agents (the agent's own
 * code, simulated driver, in this process so their counters can be read) generating flows, a
 * config change that every cluster must apply, and the checks every drill ends with — every
 * cluster on its latest config version, stored flows equal to generated flows by seq, every
 * process healthy.
 */
import {
  type AgentHandle,
  MemoryCredentialStore,
  parseScenario,
  SimulatedDriver,
  type StartAgentOptions,
  silentLogger,
} from '@meshplane/agent';
import {
  type ControlPlane,
  eventually,
  gql,
  isAlive,
  registerAndInstall,
  signUpTenant,
  startControlPlane,
} from '@meshplane/testing';

export { eventually };

import pg from 'pg';
import { afterEach, expect } from 'vitest';
import { CONTROL_PLANE } from '../../libs/devtools/src/processes.js';
import { inProcessAgentConfig, startInProcessAgent } from '../support/in-process-agent.js';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Prints a drill's progress with the time since `start` (shown beside a failure or a timeout). */
export function progress(what: string): (step: string) => void {
  const start = Date.now();
  return (step) => console.info(`[${what} +${((Date.now() - start) / 1000).toFixed(1)}s] ${step}`);
}

/**
 * Hub and agent timings scaled down so a drill takes seconds, the mechanisms unchanged: the hub
 * pings every 500 ms and drops a session silent for 3 s, re-checks each session's desired
 * config version every 2 s and re-pushes an unanswered one after 5 s, pulls idle agents every
 * 100 ms.
 */
export const DRILL_ENV: Record<string, string> = {
  MESHPLANE_RESTART_ON_EXIT: '1',
  HEARTBEAT_INTERVAL_MS: '500',
  SESSION_TIMEOUT_MS: '3000',
  HELLO_TIMEOUT_MS: '3000',
  CONFIG_RECHECK_MS: '2000',
  CONFIG_PUSH_TIMEOUT_MS: '5000',
  TELEMETRY_IDLE_PULL_MS: '100',
  TELEMETRY_PULL_MAX_RECORDS: '200',
  TELEMETRY_PULL_TIMEOUT_MS: '3000',
  // A batch not stored within this is pulled again (e.g. it was lost with a Redis restart).
  TELEMETRY_STORE_TIMEOUT_MS: '5000',
};

export function startDrillControlPlane(env: Record<string, string> = {}): Promise<ControlPlane> {
  return startControlPlane({ ...DRILL_ENV, ...env });
}

/** The pid the launcher last started for `name` (after restarts, the newest one). */
export function currentPid(cp: ControlPlane, name: string): number {
  let pid = cp.pid(name);
  for (const line of cp.logs) {
    const started = /^started (\S+) \(pid (\d+)\)/.exec(line);
    if (started && started[1] === name) pid = Number(started[2]);
  }
  return pid;
}

export const PROCESS_NAMES = CONTROL_PLANE.map((spec) => spec.name);

/** Every process of the control plane alive (its newest pid) and answering `/readyz`. */
export async function allHealthy(cp: ControlPlane, timeoutMs = 60_000): Promise<void> {
  await Promise.all(
    CONTROL_PLANE.map((spec) =>
      eventually(
        async () => {
          if (!isAlive(currentPid(cp, spec.name))) return undefined;
          const response = await fetch(`http://127.0.0.1:${cp.port(spec.portOffset)}/readyz`, {
            signal: AbortSignal.timeout(2_000),
          });
          return response.ok ? true : undefined;
        },
        timeoutMs,
        `${spec.name} healthy`,
      ),
    ),
  );
}

/** A simulated cluster generating `flowsPerSecond` flows. */
export function scenario(name: string, octet: number, flowsPerSecond: number): string {
  return `
cluster: ${name}
seed: ${1000 + octet}
podCidr: 10.${octet}.0.0/16
nodes: { count: 2 }
namespaces: [{ name: shop, labels: { env: drill } }]
workloads:
  - { name: web, namespace: shop, replicas: 3, labels: { app: web } }
  - { name: api, namespace: shop, replicas: 2, labels: { app: api } }
services:
  - { name: api, namespace: shop, selector: { app: api }, ports: [{ name: http, port: 80, targetPort: 8080 }] }
flows: { perSecond: ${flowsPerSecond}, peers: [{ cluster: elsewhere, podCidr: 10.250.0.0/16 }] }
`;
}

export interface DrillAgent {
  name: string;
  clusterId: string;
  handle: AgentHandle;
  driver: SimulatedDriver;
  /**
   * Stops the agent and starts a new one for the same cluster, like a restarted pod: same stored
   * credential, fresh memory (empty flow buffer, numbering from the hub's cursor). `handle` and
   * `driver` then refer to the new agent.
   */
  restart(): Promise<void>;
}

/**
 * Registers a cluster through the gateway, takes the bootstrap token from its install manifest and
 * starts a real agent (simulated driver) that dials `hubUrl` (default: the hub itself).
 */
export async function installDrillAgent(
  cp: ControlPlane,
  token: string,
  name: string,
  options: { octet: number; flowsPerSecond?: number; hubUrl?: string; agent?: StartAgentOptions },
): Promise<DrillAgent> {
  const installed = await registerAndInstall(cp.gatewayUrl, token, { name, labels: { drill: 'yes' } });
  const newDriver = () =>
    new SimulatedDriver(
      parseScenario(scenario(name, options.octet, options.flowsPerSecond ?? 100), `${name}.yaml`),
      silentLogger,
    );
  const credentialStore = new MemoryCredentialStore();
  const config = inProcessAgentConfig(
    { ...installed, hubUrl: options.hubUrl ?? `ws://127.0.0.1:${cp.port(10)}/agents`, apiUrl: cp.gatewayUrl },
    { backoffCapMs: 500, stableSessionMs: 10_000, welcomeTimeoutMs: 3_000, flowBufferRecords: 1_000_000 },
  );
  const start = async (driver: SimulatedDriver) =>
    startInProcessAgent(config, driver, { credentialStore, ...options.agent });
  const driver = newDriver();
  const agent: DrillAgent = {
    name,
    clusterId: installed.clusterId,
    handle: await start(driver),
    driver,
    async restart() {
      await agent.handle.stop();
      agent.driver = newDriver();
      agent.handle = await start(agent.driver);
    },
  };
  return agent;
}

/** Runs a mutation through the gateway until it succeeds (a client retries while a process restarts). */
export async function mutate<T>(
  cp: ControlPlane,
  token: string,
  query: string,
  variables: Record<string, unknown>,
  timeoutMs = 60_000,
): Promise<T> {
  return eventually(
    async () => {
      const result = await gql<T>(cp.gatewayUrl, query, variables, token);
      if (result.errors?.length || !result.data)
        throw new Error(JSON.stringify(result.errors ?? result.status));
      return result.data;
    },
    timeoutMs,
    `mutation ${query.slice(0, 40)}`,
  );
}

/** A tenant with a tier and one policy that every drill cluster (label drill=yes) receives. */
export async function drillTenant(cp: ControlPlane) {
  const { token } = await signUpTenant(cp.gatewayUrl, `Drill ${Math.random().toString(36).slice(2, 8)}`);
  await mutate(cp, token, 'mutation($i: CreateTierInput!) { createTier(input: $i) { id } }', {
    i: { name: 'drill', order: 100 },
  });
  const created = await mutate<{ createPolicy: { policyId: string; changeId: string } }>(
    cp,
    token,
    'mutation($i: CreatePolicyInput!) { createPolicy(input: $i) { policyId changeId } }',
    { i: { kind: 'GlobalNetworkPolicy', name: 'drill-web', spec: policySpec(8000) } },
  );
  return { token, policyId: created.createPolicy.policyId, changeId: created.createPolicy.changeId };
}

function policySpec(port: number) {
  return {
    tier: 'drill',
    order: 10,
    selector: "app == 'web'",
    clusterSelector: "drill == 'yes'",
    ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: [String(port)] } }],
  };
}

/** Changes the drill policy (a new config version for every cluster); retries until it is accepted. */
export async function changeConfig(
  cp: ControlPlane,
  token: string,
  policyId: string,
  port: number,
  timeoutMs = 60_000,
): Promise<string> {
  const updated = await mutate<{ updatePolicy: { changeId: string } }>(
    cp,
    token,
    'mutation($id: ID!, $i: UpdatePolicyInput!) { updatePolicy(id: $id, input: $i) { changeId } }',
    { id: policyId, i: { spec: policySpec(port) } },
    timeoutMs,
  );
  return updated.updatePolicy.changeId;
}

interface ConfigStatus {
  desiredVersion: number;
  appliedVersion: number;
  state: string;
}

/**
 * Every cluster converged on its latest config: the rollout of the last change is applied, each
 * cluster's applied version is its desired version, the agent itself reports that version, and
 * what the agent holds is the policy with `port`.
 */
export async function converged(
  cp: ControlPlane,
  token: string,
  agents: readonly DrillAgent[],
  changeId: string,
  port: number,
  timeoutMs = 60_000,
): Promise<Record<string, number>> {
  await eventually(
    async () => {
      const result = await gql<{ rollout: { state: string } }>(
        cp.gatewayUrl,
        'query($c: ID!) { rollout(changeId: $c) { state } }',
        { c: changeId },
        token,
      );
      return result.data?.rollout.state === 'APPLIED' ? true : undefined;
    },
    timeoutMs,
    `rollout ${changeId} applied`,
  );
  const versions: Record<string, number> = {};
  for (const agent of agents) {
    const status = await eventually(
      async () => {
        const result = await gql<{ cluster: { config: ConfigStatus } }>(
          cp.gatewayUrl,
          'query($id: ID!) { cluster(id: $id) { config { desiredVersion appliedVersion state } } }',
          { id: agent.clusterId },
          token,
        );
        const config = result.data?.cluster.config;
        return config && config.state === 'APPLIED' && config.appliedVersion === config.desiredVersion
          ? config
          : undefined;
      },
      timeoutMs,
      `${agent.name} applies its desired version`,
    );
    expect(agent.handle.stats.lastAppliedConfigVersion).toBe(status.desiredVersion);
    const policies = agent.driver.config.objects('GlobalNetworkPolicy');
    const ports = policies.map((p) =>
      (
        p.spec as { ingress?: { destination?: { ports?: unknown[] } }[] }
      )?.ingress?.[0]?.destination?.ports?.map(String),
    );
    expect(ports, `${agent.name} holds the latest policy`).toEqual([[String(port)]]);
    versions[agent.name] = status.desiredVersion;
  }
  return versions;
}

export interface StoredFlows {
  count: number;
  distinct: number;
  min: number | null;
  max: number | null;
}

export async function storedFlows(databaseUrl: string, clusterId: string): Promise<StoredFlows> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<StoredFlows>(
      `SELECT count(*)::int AS count, count(DISTINCT seq)::int AS distinct, min(seq)::int AS min, max(seq)::int AS max
       FROM telemetry.flows WHERE cluster_id = $1`,
      [clusterId],
    );
    return rows[0]!;
  } finally {
    await client.end();
  }
}

/**
 * Stops every agent's flow source and checks storage against what was generated: every seq from
 * 1 to the last one stored exactly once (none lost, none doubled), after the agents have had every
 * record acknowledged. Returns the generated counts.
 */
export async function flowsExact(
  databaseUrl: string,
  agents: readonly DrillAgent[],
  timeoutMs = 60_000,
): Promise<Record<string, { generated: number; stored: StoredFlows }>> {
  for (const agent of agents) agent.driver.flows.stop();
  const result: Record<string, { generated: number; stored: StoredFlows }> = {};
  for (const agent of agents) {
    const generated = agent.handle.stats.flows.lastSeq;
    expect(agent.handle.stats.flows.dropped, `${agent.name} dropped flows from its buffer`).toBe(0);
    await eventually(
      () => (agent.handle.stats.flows.ackedSeq === generated ? true : undefined),
      timeoutMs,
      `${agent.name}: every generated flow acknowledged`,
    );
    // The worker may still be storing the last batches: wait until all are there, or until the
    // count has not moved for 5 s (what is missing then is lost, not late).
    let stored = await storedFlows(databaseUrl, agent.clusterId);
    let movedAt = Date.now();
    const deadline = Date.now() + timeoutMs;
    while (stored.count < generated && Date.now() < deadline && Date.now() - movedAt < 5_000) {
      await sleep(200);
      const now = await storedFlows(databaseUrl, agent.clusterId);
      if (now.count !== stored.count) movedAt = Date.now();
      stored = now;
    }
    await sleep(500); // nothing more arrives late (a re-sent batch would show as a second row)
    stored = await storedFlows(databaseUrl, agent.clusterId);
    result[agent.name] = { generated, stored };
  }
  for (const [name, { generated, stored }] of Object.entries(result)) {
    expect({ name, ...stored }, `${name}: stored flows equal generated flows by seq`).toEqual({
      name,
      count: generated,
      distinct: generated,
      min: generated > 0 ? 1 : null,
      max: generated > 0 ? generated : null,
    });
  }
  return result;
}

/** Waits until each agent has had more flows acknowledged than now (the stream is moving). */
export async function flowsMoving(agents: readonly DrillAgent[], timeoutMs = 30_000): Promise<void> {
  const before = agents.map((agent) => agent.handle.stats.flows.ackedSeq);
  await Promise.all(
    agents.map((agent, i) =>
      eventually(
        () => (agent.handle.stats.flows.ackedSeq > before[i]! ? true : undefined),
        timeoutMs,
        `${agent.name}: flows acknowledged again`,
      ),
    ),
  );
}

/** The cluster's `connected` flag as GraphQL shows it. */
export async function connected(cp: ControlPlane, token: string, clusterId: string): Promise<boolean> {
  const result = await gql<{ cluster: { status: { connected: boolean } } }>(
    cp.gatewayUrl,
    'query($id: ID!) { cluster(id: $id) { status { connected } } }',
    { id: clusterId },
    token,
  );
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return result.data.cluster.status.connected;
}

/** True once a test of the calling file has failed (so the control plane's errors are worth printing). */
export function trackFailures(): () => boolean {
  let failed = false;
  afterEach((context) => {
    if (context.task.result?.state === 'fail') failed = true;
  });
  return () => failed;
}

/** The control plane's error lines, to print beside a failure. */
export function errorLines(cp: ControlPlane | undefined, last = 15): string {
  return (cp?.logs ?? [])
    .filter(
      (line) => line.includes('"level":50') || line.includes('"level":60') || /exited|restarting/.test(line),
    )
    .slice(-last)
    .join('\n');
}

/**
 * While the stream runs: every seq the agent has had acknowledged so far is stored exactly once.
 * Waits (up to `timeoutMs`) for the worker to catch up; fails naming how many are missing.
 */
export async function flowsAcknowledgedAreStored(
  databaseUrl: string,
  agents: readonly DrillAgent[],
  timeoutMs = 30_000,
): Promise<void> {
  for (const agent of agents) {
    const acked = agent.handle.stats.flows.ackedSeq;
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const upTo = async () =>
      (
        await client.query<{ count: number; distinct: number }>(
          `SELECT count(*)::int AS count, count(DISTINCT seq)::int AS distinct
           FROM telemetry.flows WHERE cluster_id = $1 AND seq <= $2`,
          [agent.clusterId, acked],
        )
      ).rows[0]!;
    try {
      let seen = await upTo();
      const deadline = Date.now() + timeoutMs;
      let movedAt = Date.now();
      while (seen.count < acked && Date.now() < deadline && Date.now() - movedAt < 5_000) {
        await sleep(250);
        const now = await upTo();
        if (now.count !== seen.count) movedAt = Date.now();
        seen = now;
      }
      expect(
        { agent: agent.name, stored: seen.count, distinct: seen.distinct },
        `${agent.name}: flows 1..${acked} acknowledged; ${acked - seen.distinct} of them are not stored`,
      ).toEqual({ agent: agent.name, stored: acked, distinct: acked });
    } finally {
      await client.end();
    }
  }
}
