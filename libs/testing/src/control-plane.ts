import { type ChildProcess, spawn } from 'node:child_process';
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
  logs: string[];
  launcher: ChildProcess;
  databaseUrl: string;
  redisPrefix: string;
  /** Sends SIGTERM to the launcher and waits for it to exit; returns its exit code. */
  stop(): Promise<number | null>;
}

let nextBlock = 0;

/** A port block per test file: 20000 + 200 × (pool id) + 20 × (n-th control plane of the file). */
function portBaseForThisWorker(): number {
  const pool = Number(process.env.VITEST_POOL_ID ?? 1);
  nextBlock += 1;
  return 20_000 + 200 * pool + 20 * (nextBlock - 1);
}

/**
 * Starts the real control plane with the real launcher (`node libs/devtools/dist/run.js`, built
 * by `npm test`) on its own database, Redis prefix and ports, and resolves once it prints READY.
 */
export async function startControlPlane(extraEnv: Record<string, string> = {}): Promise<ControlPlane> {
  const database = await createTestDatabase();
  const portBase = portBaseForThisWorker();
  const redisPrefix = uniqueRedisPrefix();
  const logs: string[] = [];
  const launcher = spawn(process.execPath, ['libs/devtools/dist/run.js'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      PORT_BASE: String(portBase),
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: redisPrefix,
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => launcher.once('exit', (code) => resolve(code)));
  const pids = await new Promise<number[]>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`control plane not ready in 60s:\n${logs.join('\n')}`)),
      60_000,
    );
    for (const stream of [launcher.stdout, launcher.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        logs.push(line);
        const ready = /^READY pids=([\d,]+)/.exec(line);
        if (ready) {
          clearTimeout(timer);
          resolve(ready[1]!.split(',').map(Number));
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
    pids,
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
