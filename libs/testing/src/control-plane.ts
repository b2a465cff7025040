import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { createTestDatabase } from './database.js';
import { TEST_REDIS_URL, uniqueRedisPrefix } from './redis.js';

const repoRoot = new URL('../../../', import.meta.url).pathname;

export interface ControlPlane {
  gatewayUrl: string;
  portBase: number;
  /** Port of a process by its offset from the base (subgraphs +1..+4, agent hub +10). */
  port(offset: number): number;
  pids: number[];
  /** Process names in the order of `pids`. */
  names: string[];
  /** The pid of a process by name, as the launcher started it. */
  pid(name: string): number;
  logs: string[];
  launcher: ChildProcess;
  databaseUrl: string;
  redisPrefix: string;
  /** Sends SIGTERM to the launcher and waits for it to exit; returns its exit code. */
  stop(): Promise<number | null>;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A free block of 60 ports below the ephemeral range (so no outgoing connection takes one),
 * starting from a pid-derived guess so that concurrent test runs on one machine rarely even try
 * the same block.
 */
async function freePortBlock(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    // 60 ports: the usual 11 and those of two replicas each (REPLICA_PORT_STRIDE 20).
    const base = 20_000 + ((process.pid * 7 + attempt) % 200) * 60;
    const ports = Array.from({ length: 51 }, (_, i) => base + i);
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return base;
  }
  throw new Error('no free block of ports for a control plane');
}

/**
 * Starts the real control plane with the real launcher (`node libs/devtools/dist/run.js`, built
 * by `npm test`) on its own database, Redis prefix and ports, and resolves once it prints READY.
 */
export async function startControlPlane(extraEnv: Record<string, string> = {}): Promise<ControlPlane> {
  const database = await createTestDatabase();
  const portBase = await freePortBlock();
  const redisPrefix = uniqueRedisPrefix();
  const logs: string[] = [];
  const launcher = spawn(process.execPath, ['libs/devtools/dist/run.js'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      MESHPLANE_DEMO: '0',
      PORT_BASE: String(portBase),
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: redisPrefix,
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => launcher.once('exit', (code) => resolve(code)));
  const started = await new Promise<{ pids: number[]; names: string[] }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`control plane not ready in 60s:\n${logs.join('\n')}`)),
      60_000,
    );
    for (const stream of [launcher.stdout, launcher.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        logs.push(line);
        const ready = /^READY pids=([\d,]+) names=(\S+)/.exec(line);
        if (ready) {
          clearTimeout(timer);
          resolve({ pids: ready[1]!.split(',').map(Number), names: ready[2]!.split(',') });
        }
      });
    }
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`launcher exited (${code}) before READY:\n${logs.join('\n')}`));
    });
  });
  return {
    gatewayUrl: `http://127.0.0.1:${portBase}`,
    portBase,
    port: (offset) => portBase + offset,
    pids: started.pids,
    names: started.names,
    pid: (name) => started.pids[started.names.indexOf(name)] ?? -1,
    logs,
    launcher,
    databaseUrl: database.url,
    redisPrefix,
    async stop() {
      if (launcher.exitCode === null) launcher.kill('SIGTERM');
      const code = await exited;
      await database.drop();
      return code;
    },
  };
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
