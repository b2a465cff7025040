import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * Private Redis and PostgreSQL servers for fault drills that restart them: the shared servers on
 * 6379 and 5432 are used by every other test running at the same time and are never touched.
 */

/** A free TCP port on 127.0.0.1 (the kernel's choice). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} not up within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

export interface PrivateServer {
  readonly port: number;
  /** Connection URL (for Postgres, of the server's `postgres` database's server: append a database). */
  readonly url: string;
  /** SIGKILLs the server (no shutdown, no save) and waits until it is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port (after `kill`) and waits until it answers. */
  start(): Promise<void>;
  /** Kills it and removes what it left on disk. */
  stop(): Promise<void>;
}

/**
 * A private `redis-server` on a free port that keeps nothing on disk (`--save "" --appendonly
 * no`): a restart loses every key, queued jobs included, as a Redis without persistence does.
 */
export async function startPrivateRedis(): Promise<PrivateServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const answers = async () => {
    try {
      return (
        execFileSync('redis-cli', ['-p', String(port), 'ping'], {
          timeout: 2_000,
          stdio: ['ignore', 'pipe', 'ignore'],
        })
          .toString()
          .trim() === 'PONG'
      );
    } catch {
      return false;
    }
  };
  const server: PrivateServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--daemonize',
          'no',
        ],
        { stdio: 'ignore' },
      );
      await waitUntil(answers, 10_000, `redis-server on ${port}`);
    },
    async kill() {
      if (child === undefined) return;
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      await server.kill();
    },
  };
  await server.start();
  return server;
}

/** The `bin` directory of the newest PostgreSQL installed under /usr/lib/postgresql, if any. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0]!, 'bin') : undefined;
}

/**
 * A private PostgreSQL cluster (`initdb` in a temp dir, trust auth, fsync off) on a free port.
 * `initdb` refuses to run as root, so under root it runs as the `postgres` user. Throws with the
 * reason when it cannot work here (no binaries, no such user).
 */
export async function startPrivatePostgres(): Promise<PrivateServer> {
  const bin = postgresBinDir();
  if (bin === undefined) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql/*/bin');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'meshplane-pg-'));
  const data = join(dir, 'data');
  const asUser: { uid?: number; gid?: number } = {};
  if (process.getuid?.() === 0) {
    asUser.uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    asUser.gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, asUser.uid, asUser.gid);
  }
  execFileSync(
    join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8'],
    {
      ...asUser,
      stdio: 'ignore',
    },
  );
  let child: ChildProcess | undefined;
  const url = `postgres://postgres@127.0.0.1:${port}`;
  const answers = async () => {
    const client = new pg.Client({ connectionString: `${url}/postgres`, connectionTimeoutMillis: 1_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } finally {
      await client.end().catch(() => {});
    }
  };
  const server: PrivateServer = {
    port,
    url,
    async start() {
      child = spawn(
        join(bin, 'postgres'),
        [
          '-D',
          data,
          '-p',
          String(port),
          '-h',
          '127.0.0.1',
          '-k',
          dir,
          '-c',
          'fsync=off',
          '-c',
          'max_connections=200',
        ],
        { ...asUser, stdio: 'ignore' },
      );
      await waitUntil(answers, 30_000, `postgres on ${port}`);
    },
    async kill() {
      if (child === undefined) return;
      child.kill('SIGKILL');
      await exited(child);
      // Backends of a SIGKILLed postmaster notice and exit; wait until the port is free again.
      await waitUntil(async () => !(await answers().catch(() => false)), 10_000, 'postgres gone');
      await new Promise((resolve) => setTimeout(resolve, 500));
    },
    async stop() {
      await server.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
