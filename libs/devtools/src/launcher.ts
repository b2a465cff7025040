import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { CONTROL_PLANE, type ProcessSpec, portEnvironment, repoRoot } from './processes.js';

const COLORS = [36, 32, 35, 33, 34, 31, 96, 92];
const STOP_GRACE_MS = 10_000;

export interface LauncherOptions {
  /** Port of the gateway; the others sit at fixed offsets from it. */
  portBase: number;
  env: NodeJS.ProcessEnv;
  write: (line: string) => void;
}

interface Running {
  spec: ProcessSpec;
  child: ChildProcess;
  port: number;
}

/**
 * Starts the control plane's processes with prefixed logs, waits until each answers `/readyz`,
 * and stops them all — gracefully, then by force — when asked or when one of them dies.
 */
export class Launcher {
  private readonly running: Running[] = [];
  private stopping?: Promise<void>;

  constructor(private readonly options: LauncherOptions) {}

  get pids(): number[] {
    return this.running.map((r) => r.child.pid!).filter(Boolean);
  }

  async migrate(): Promise<void> {
    const child = this.spawnProcess('migrate', 'migrations/dist/migrate.js', this.options.env, 7);
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`migrations failed (exit code ${code})`);
  }

  async start(onUnexpectedExit: (name: string, code: number | null) => void): Promise<void> {
    const env = { ...this.options.env, ...portEnvironment(this.options.portBase) };
    CONTROL_PLANE.forEach((spec, index) => {
      const child = this.spawnProcess(spec.name, spec.entry, env, index, true);
      const port = this.options.portBase + spec.portOffset;
      this.running.push({ spec, child, port });
      this.options.write(`started ${spec.name} (pid ${child.pid}) on port ${port}`);
      child.on('exit', (code) => {
        if (!this.stopping) onUnexpectedExit(spec.name, code);
      });
    });
    await Promise.all(this.running.map((r) => this.waitReady(r)));
  }

  /** Sends SIGTERM to every process, then SIGKILL to any still running after the grace period. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const alive = this.running.filter((r) => r.child.exitCode === null && r.child.signalCode === null);
      const exits = alive.map((r) => once(r.child, 'exit'));
      for (const r of alive) r.child.kill('SIGTERM');
      const timer = setTimeout(() => {
        for (const r of alive) {
          if (r.child.exitCode === null && r.child.signalCode === null) {
            this.options.write(`${r.spec.name} did not stop within ${STOP_GRACE_MS / 1000}s; killing it`);
            r.child.kill('SIGKILL');
          }
        }
      }, STOP_GRACE_MS);
      await Promise.all(exits);
      clearTimeout(timer);
    })();
    return this.stopping;
  }

  private spawnProcess(name: string, entry: string, env: NodeJS.ProcessEnv, index: number, ipc = false) {
    const child = spawn(process.execPath, ['--enable-source-maps', entry], {
      cwd: repoRoot,
      env,
      // The IPC channel lets a child notice that the launcher died (even by SIGKILL) and stop itself.
      stdio: ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    });
    const prefix = `\u001b[${COLORS[index % COLORS.length]}m${name.padEnd(9)}\u001b[0m | `;
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => this.options.write(prefix + line));
    }
    return child;
  }

  private async waitReady({ spec, child, port }: Running, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null)
        throw new Error(`${spec.name} exited during start-up (code ${child.exitCode})`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/readyz`, {
          signal: AbortSignal.timeout(2_000),
        });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`${spec.name} was not ready within ${timeoutMs / 1000}s`);
  }
}
