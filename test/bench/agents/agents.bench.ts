/**
 * DESIGN §5: 10,000 simultaneously connected agents on one agent-hub process, under 30 KB of
 * memory per connection, heartbeats included. Prints the hub's memory per connection and CPU
 * beside a bare `ws` server holding the same number of idle sockets (the baseline).
 *
 *   BENCH_AGENTS=10000 npm run bench -- test/bench/agents
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AGENT_HUB_NODE_ARGS } from '../../../libs/devtools/src/processes.js';
import { connectMany, dropRedisPrefix, repoRoot, sleep, waitForHealth, waitForLine } from '../support.js';

const AGENTS = Number(process.env.BENCH_AGENTS ?? 10_000);
const HEARTBEAT_MS = 5_000;

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime, clock ticks (100 Hz)
}

/** Stands in for the clusters service: every credential is a valid cluster of its own. */
async function stubClusters(): Promise<Server> {
  const tenantId = randomUUID();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const { credential } = JSON.parse(body) as { credential: string };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          clusterId: credential,
          tenantId,
          clusterName: `c-${credential.slice(0, 8)}`,
          epoch: 1,
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

/** Agent side of the protocol, kept minimal: hello, then answer every ping with a pong. */
function speakAgent(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { type: string; nonce?: string; sentAt?: number };
      if (message.type === 'welcome') resolve();
      else if (message.type === 'ping')
        ws.send(JSON.stringify({ type: 'pong', nonce: message.nonce, sentAt: message.sentAt }));
      else if (message.type === 'error') reject(new Error(JSON.stringify(message)));
    });
    ws.once('close', (code) => reject(new Error(`closed ${code}`)));
    ws.send(
      JSON.stringify({
        type: 'hello',
        protocols: [1],
        credential: randomUUID(),
        agent: { version: 'bench', capabilities: [] },
        cluster: { kubernetesVersion: 'v1.31.0', nodeCount: 3 },
        lastAppliedConfigVersion: 0,
        telemetryCursor: 0,
      }),
    );
  });
}

/** Live memory (V8 heap + external) after a full garbage collection, and RSS (see gc-preload.mjs). */
async function liveMemory(child: ChildProcess): Promise<{ rss: number; live: number }> {
  const line = waitForLine(child, /MEMORY \{[^\n]*\}/);
  child.kill('SIGUSR2');
  return JSON.parse((await line).slice('MEMORY '.length));
}

async function measure(child: ChildProcess, settleMs: number) {
  await sleep(settleMs);
  const before = cpuTicks(child.pid!);
  const window = 2 * HEARTBEAT_MS;
  await sleep(window);
  const cpuPercent = ((cpuTicks(child.pid!) - before) / 100 / (window / 1000)) * 100;
  return { ...(await liveMemory(child)), cpuPercent };
}

describe('agent hub: memory and CPU per connected agent', () => {
  it(`holds ${AGENTS} agents with heartbeats`, async () => {
    const clusters = await stubClusters();
    const prefix = `mpbench-${process.pid}`;
    const port = 21_500;
    const measured = ['--expose-gc', '--import', new URL('./gc-preload.mjs', import.meta.url).pathname];
    // The hub runs with the flags it is deployed with (launcher, infra/k8s, infra/docker).
    const hub = spawn(
      process.execPath,
      [...measured, ...AGENT_HUB_NODE_ARGS, 'services/agent-hub/dist/main.js'],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          AGENT_HUB_PORT: String(port),
          CLUSTERS_INTERNAL_URL: `http://127.0.0.1:${(clusters.address() as AddressInfo).port}`,
          REDIS_PREFIX: prefix,
          HEARTBEAT_INTERVAL_MS: String(HEARTBEAT_MS),
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const bare = spawn(
      process.execPath,
      [
        ...measured,
        '--input-type=module',
        '-e',
        `import { WebSocketServer } from 'ws';
         const wss = new WebSocketServer({ port: ${port + 1}, host: '127.0.0.1', perMessageDeflate: false });
         wss.on('listening', () => console.log('bare listening'));`,
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const output: string[] = [];
    for (const [name, child] of [
      ['hub', hub],
      ['bare', bare],
    ] as const) {
      child.stderr?.on('data', (chunk: Buffer) => output.push(`${name}: ${chunk}`));
      child.on('exit', (code, signal) => output.push(`${name} exited: ${code ?? signal}`));
    }
    try {
      await Promise.all([waitForHealth(port), waitForLine(bare, /bare listening/)]);
      await sleep(2_500);
      const [hubIdle, bareIdle] = await Promise.all([liveMemory(hub), liveMemory(bare)]);

      // One side at a time: 2 × 10,000 client sockets would pass this process's descriptor limit.
      const started = Date.now();
      const agents = await connectMany(`ws://127.0.0.1:${port}/agents`, AGENTS, (ws) => speakAgent(ws));
      const connectSeconds = (Date.now() - started) / 1000;
      const hubLoaded = await measure(hub, 3_000);
      const stillOpen = agents.filter((ws) => ws.readyState === WebSocket.OPEN).length;
      for (const ws of agents) ws.terminate();

      const bareSockets = await connectMany(`ws://127.0.0.1:${port + 1}`, AGENTS, async () => {});
      const bareLoaded = await measure(bare, 3_000);
      for (const ws of bareSockets) ws.terminate();

      const hubPer = (hubLoaded.live - hubIdle.live) / AGENTS;
      const barePer = (bareLoaded.live - bareIdle.live) / AGENTS;
      const hubRssPer = (hubLoaded.rss - hubIdle.rss) / AGENTS;
      const bareRssPer = (bareLoaded.rss - bareIdle.rss) / AGENTS;

      const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
      console.log(
        `BENCH agents held per hub | figure ${stillOpen} open after 2 heartbeats | baseline ${AGENTS} opened | ratio ${(stillOpen / AGENTS).toFixed(2)} | target >= 10000 connected`,
      );
      console.log(
        `BENCH live memory per agent connection | figure ${kb(hubPer)} | baseline ${kb(barePer)} (bare ws) | ratio ${(hubPer / barePer).toFixed(2)} | target < 30 KB`,
      );
      console.log(
        `BENCH resident memory per agent connection | figure ${kb(hubRssPer)} | baseline ${kb(bareRssPer)} (bare ws) | ratio ${(hubRssPer / bareRssPer).toFixed(2)} | target < 30 KB`,
      );
      console.log(
        `BENCH hub CPU with ${AGENTS} agents | figure ${hubLoaded.cpuPercent.toFixed(1)} % of a core | baseline ${bareLoaded.cpuPercent.toFixed(1)} % (bare ws, idle sockets) | ratio - | target -`,
      );
      console.log(
        `BENCH connect rate | figure ${(AGENTS / connectSeconds).toFixed(0)} agents/s (hello→welcome) | baseline - | ratio - | target -`,
      );
      expect(stillOpen).toBe(AGENTS);
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n${output.join('')}`);
    } finally {
      hub.kill('SIGKILL');
      bare.kill('SIGKILL');
      clusters.close();
      await dropRedisPrefix(prefix);
    }
  });
});
