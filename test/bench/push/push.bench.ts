/**
 * DESIGN §5: a policy change reaches and is acknowledged by 1,000 connected clusters with p99
 * under 250 ms from commit. Real processes: the policies API, the policies worker (compiles and
 * stores 1,000 bundles, announces them on Redis) and the agent hub, on real Postgres and Redis;
 * 1,000 agents speak the protocol over real websockets and answer each `config.push` with a
 * `config.result`. The clusters service is a stub (it would otherwise need 1,000 registrations).
 *
 * Figure: per agent, from sending the mutation (so the commit is inside) to the agent holding
 * the push and answering it, over several changes (after one change not counted, which warms
 * the update path up, as in a running system). Baseline, same run and same machine: a bare
 * `ws` server sending a frame of the same size to the same number of sockets, to each receipt.
 *
 *   BENCH_CLUSTERS=1000 npm run bench -- test/bench/push
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InternalIdentityCodec } from '@meshplane/platform';
import { createTestDatabase } from '@meshplane/testing';
import { describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { AGENT_HUB_NODE_ARGS } from '../../../libs/devtools/src/processes.js';
import { connectMany, dropRedisPrefix, quantile, repoRoot, sleep, waitForHealth } from '../support.js';

const CLUSTERS = Number(process.env.BENCH_CLUSTERS ?? 1_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
/** Changes made first and not counted: the first update warms up its path (JIT, query plans). */
const WARM_UP_ROUNDS = 1;
const SECRET = 'push-bench-internal-identity-secret-0123456789';

/** Stands in for the clusters service: every credential is its own cluster; all of them compile. */
async function stubClusters(tenantId: string, clusterIds: string[]): Promise<Server> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url === '/internal/v1/agent-sessions') {
        const { credential } = JSON.parse(body) as { credential: string };
        res.end(
          JSON.stringify({ clusterId: credential, tenantId, clusterName: `c-${credential}`, epoch: 1 }),
        );
      } else {
        res.end(
          JSON.stringify({
            clusters: clusterIds.map((id, i) => ({ id, name: `c-${i}`, labels: { env: 'prod' } })),
            objects: [],
          }),
        );
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

/** One agent: hello with the config capability, then answer pushes; records when each version arrived. */
function agent(
  ws: WebSocket,
  clusterId: string,
  received: Map<number, number[]>,
  sizes: number[],
): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as {
        type: string;
        version?: number;
        nonce?: string;
        sentAt?: number;
      };
      if (message.type === 'welcome') resolve();
      else if (message.type === 'config.push') {
        const at = performance.now();
        ws.send(JSON.stringify({ type: 'config.result', version: message.version, outcomes: [] }));
        const list = received.get(message.version!) ?? [];
        list.push(at);
        received.set(message.version!, list);
        sizes.push(data.length);
      } else if (message.type === 'ping')
        ws.send(JSON.stringify({ type: 'pong', nonce: message.nonce, sentAt: message.sentAt }));
      else if (message.type === 'error') reject(new Error(JSON.stringify(message)));
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        protocols: [1],
        credential: clusterId,
        agent: { version: 'bench', capabilities: ['config.v1'] },
        lastAppliedConfigVersion: 0,
        telemetryCursor: 0,
      }),
    );
  });
}

async function waitFor<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(2);
  }
}

describe('config push: commit to acknowledgement across connected clusters', () => {
  it(`reaches ${CLUSTERS} clusters`, async () => {
    const tenantId = randomUUID();
    const clusterIds = Array.from({ length: CLUSTERS }, () => randomUUID());
    const clusters = await stubClusters(tenantId, clusterIds);
    const database = await createTestDatabase();
    const prefix = `mpbench-push-${process.pid}`;
    const base = 22_000 + (process.pid % 50) * 20;
    const env = {
      ...process.env,
      DATABASE_URL: database.url,
      REDIS_PREFIX: prefix,
      INTERNAL_IDENTITY_SECRET: SECRET,
      CLUSTERS_INTERNAL_URL: `http://127.0.0.1:${(clusters.address() as AddressInfo).port}`,
      POLICIES_INTERNAL_URL: `http://127.0.0.1:${base + 3}`,
      POLICIES_PORT: String(base + 3),
      POLICIES_WORKER_PORT: String(base + 6),
      AGENT_HUB_PORT: String(base + 10),
      LOG_LEVEL: 'warn',
    };
    const children: ChildProcess[] = [
      'services/policies/dist/main.js',
      'services/policies/dist/worker.js',
      'services/agent-hub/dist/main.js',
    ].map((entry) =>
      spawn(
        process.execPath,
        [
          ...(process.env.BENCH_PROFILE && entry.includes(process.env.BENCH_PROFILE)
            ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof']
            : []),
          // Each process with the flags it is deployed with (the hub's are tuned for many sockets).
          ...(entry.includes('agent-hub') ? AGENT_HUB_NODE_ARGS : []),
          entry,
        ],
        { cwd: repoRoot, env, stdio: ['ignore', 'ignore', 'pipe'] },
      ),
    );
    const output: string[] = [];
    for (const child of children) child.stderr?.on('data', (c: Buffer) => output.push(c.toString()));
    const codec = new InternalIdentityCodec(SECRET);
    const graphql = async (query: string, variables: Record<string, unknown>) => {
      const identity = {
        kind: 'user' as const,
        tenantId,
        userId: randomUUID(),
        role: 'owner' as const,
        correlationId: 'bench',
      };
      const response = await fetch(`http://127.0.0.1:${base + 3}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-meshplane-identity': await codec.sign(identity) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as {
        data?: Record<string, { changeId?: string; policyId?: string }>;
        errors?: unknown;
      };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data!;
    };
    const sockets: WebSocket[] = [];
    try {
      await Promise.all([waitForHealth(base + 3), waitForHealth(base + 6), waitForHealth(base + 10)]);
      const received = new Map<number, number[]>();
      const sizes: number[] = [];
      sockets.push(
        ...(await connectMany(`ws://127.0.0.1:${base + 10}/agents`, CLUSTERS, (ws, i) =>
          agent(ws, clusterIds[i]!, received, sizes),
        )),
      );
      await graphql('mutation { createTier(input: { name: "bench", order: 10 }) { id } }', {});
      const policy = (port: number) => ({
        tier: 'bench',
        selector: "app == 'web'",
        clusterSelector: "env == 'prod'",
        ingress: [
          {
            action: 'Allow',
            protocol: 'TCP',
            source: { selector: "app == 'frontend'" },
            destination: { ports: [String(port)] },
          },
        ],
      });
      const created = await graphql(
        'mutation($i: CreatePolicyInput!) { createPolicy(input: $i) { policyId } }',
        { i: { kind: 'GlobalNetworkPolicy', name: 'bench', spec: policy(8000) } },
      );
      const policyId = created.createPolicy!.policyId!;
      await waitFor(
        () => (received.get(1)?.length === CLUSTERS ? true : undefined),
        60_000,
        'first version everywhere',
      );

      const latencies: number[] = [];
      for (let round = -WARM_UP_ROUNDS; round < ROUNDS; round++) {
        const version = round + WARM_UP_ROUNDS + 2;
        const started = performance.now();
        await graphql(
          'mutation($id: ID!, $i: PolicySpecInput!) { updatePolicy(id: $id, input: { spec: $i }) { changeId } }',
          {
            id: policyId,
            i: policy(8001 + WARM_UP_ROUNDS + round),
          },
        );
        const arrivals = await waitFor(
          () => (received.get(version)?.length === CLUSTERS ? received.get(version) : undefined),
          30_000,
          `version ${version} everywhere`,
        );
        if (round >= 0) latencies.push(...arrivals.map((at) => at - started));
        await sleep(200);
      }
      for (const ws of sockets) ws.terminate();

      // Baseline: the same fan-out of a frame of the same size over bare websockets.
      const frameBytes = Math.round(quantile(sizes, 0.5));
      const bare = new WebSocketServer({ port: base + 15, host: '127.0.0.1', perMessageDeflate: false });
      const bareArrivals: number[][] = [];
      const bareClients = await connectMany(`ws://127.0.0.1:${base + 15}`, CLUSTERS, async (ws) => {
        ws.on('message', () => {
          bareArrivals.at(-1)!.push(performance.now());
          ws.send('{"type":"ack"}');
        });
      });
      const payload = JSON.stringify({ type: 'config.push', pad: 'x'.repeat(Math.max(0, frameBytes - 40)) });
      const bareLatencies: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        bareArrivals.push([]);
        const started = performance.now();
        for (const client of bare.clients) client.send(payload);
        await waitFor(
          () => (bareArrivals.at(-1)!.length === CLUSTERS ? true : undefined),
          30_000,
          'bare fan-out',
        );
        bareLatencies.push(...bareArrivals.at(-1)!.map((at) => at - started));
        await sleep(200);
      }
      for (const ws of bareClients) ws.terminate();
      bare.close();

      const ms = (v: number) => `${v.toFixed(1)} ms`;
      const metrics = await (await fetch(`http://127.0.0.1:${base + 6}/metrics`)).text();
      const metric = (name: string) =>
        Number(
          new RegExp(`^${name}\\{[^}]*outcome="compiled"[^}]*\\} ([0-9.e+-]+)$`, 'm').exec(metrics)?.[1] ??
            Number.NaN,
        );
      console.log(
        `context: first agent reached after ${ms(quantile(latencies, 0))}; compile and store of ${CLUSTERS} bundles ${ms((1000 * metric('meshplane_compile_duration_seconds_sum')) / metric('meshplane_compile_duration_seconds_count'))} on average`,
      );
      for (const [name, q, target] of [
        ['p50', 0.5, '-'],
        ['p99', 0.99, '< 250 ms'],
      ] as const) {
        const figure = quantile(latencies, q);
        const baseline = quantile(bareLatencies, q);
        console.log(
          `BENCH config push ${name}, commit → ack, ${CLUSTERS} clusters | figure ${ms(figure)} | baseline ${ms(baseline)} (bare ws fan-out, ${frameBytes} B frame) | ratio ${(figure / baseline).toFixed(1)} | target ${target}`,
        );
      }
      expect(latencies).toHaveLength(CLUSTERS * ROUNDS);
    } catch (error) {
      throw new Error(
        `${error instanceof Error ? error.message : String(error)}\n${output.join('').slice(-4000)}`,
      );
    } finally {
      for (const ws of sockets) ws.terminate();
      // SIGTERM first: a process started with BENCH_PROFILE writes its CPU profile on the way out.
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
              child.once('exit', () => {
                clearTimeout(timer);
                resolve();
              });
              child.kill('SIGTERM');
            }),
        ),
      );
      clusters.close();
      await dropRedisPrefix(prefix);
      await database.drop();
    }
  });
});
