import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { TcpBalancer } from './balancer.js';
import {
  BALANCED,
  CONTROL_PLANE,
  type ProcessSpec,
  portEnvironment,
  REPLICA_PORT_STRIDE,
  repoRoot,
} from './processes.js';

const COLORS = [36, 32, 35, 33, 34, 31, 96, 92];
const STOP_GRACE_MS = 10_000;

export type ExitHandler = (name: string, code: number | null) => void;

export interface LauncherOptions {
  /** Port of the gateway; the others sit at fixed offsets from it. */
  portBase: number;
  /** Restart a process that dies instead of stopping everything. */
  restartOnExit?: boolean;
  /**
   * Replicas of every process (default 1). With more, replica k listens on its usual port +
   * k × REPLICA_PORT_STRIDE and a TCP load balancer takes the usual port of each process others
   * connect to; the first replica keeps the process's name, the others are `<name>-<k>`.
   */
  replicas?: number;
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
  private readonly balancers: TcpBalancer[] = [];
  private stopping?: Promise<void>;

  constructor(private readonly options: LauncherOptions) {}

  get pids(): number[] {
    return this.running.map((r) => r.child.pid!).filter(Boolean);
  }

  get names(): string[] {
    return this.running.map((r) => r.spec.name);
  }

  async migrate(): Promise<void> {
    const child = this.spawnProcess('migrate', 'migrations/dist/migrate.js', this.options.env, 7);
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`migrations failed (exit code ${code})`);
  }

  async start(onUnexpectedExit: ExitHandler): Promise<void> {
    const env = { ...this.options.env, ...portEnvironment(this.options.portBase) };
    const replicas = this.options.replicas ?? 1;
    for (const spec of CONTROL_PLANE) {
      if (replicas === 1) {
        this.manage(spec, env, onUnexpectedExit);
        continue;
      }
      const ports: number[] = [];
      for (let k = 1; k <= replicas; k++) {
        const portOffset = spec.portOffset + k * REPLICA_PORT_STRIDE;
        const name = k === 1 ? spec.name : `${spec.name}-${k}`;
        ports.push(this.options.portBase + portOffset);
        this.manage(
          { ...spec, name, portOffset },
          { ...env, [spec.portVariable]: String(this.options.portBase + portOffset) },
          onUnexpectedExit,
        );
      }
      if (BALANCED.has(spec.name)) {
        this.balancers.push(await TcpBalancer.listen(this.options.portBase + spec.portOffset, ports));
      }
    }
    await Promise.all(this.running.map((r) => this.waitReady(r)));
  }

  /** Starts one more managed process (a demo agent); it is stopped with the rest. */
  startExtra(name: string, entry: string, env: Record<string, string>, onUnexpectedExit: ExitHandler) {
    this.manage(
      { name, entry, portVariable: '', portOffset: -1 },
      { ...this.options.env, ...env },
      onUnexpectedExit,
    );
  }

  /**
   * Spawns a process and watches it. When it dies unexpectedly it is started again after a
   * second if `restartOnExit` is set (fault drills kill processes on purpose); otherwise the
   * launcher is told, and stops everything.
   */
  private manage(spec: ProcessSpec, env: NodeJS.ProcessEnv, onUnexpectedExit: ExitHandler, entry?: Running) {
    const child = this.spawnProcess(
      spec.name,
      spec.entry,
      env,
      CONTROL_PLANE.findIndex((p) => p.entry === spec.entry) + 1 || this.running.length,
      true,
      spec.nodeArgs,
    );
    const port = spec.portOffset >= 0 ? this.options.portBase + spec.portOffset : -1;
    const running = entry ?? { spec, child, port };
    running.child = child;
    if (!entry) this.running.push(running);
    this.options.write(`started ${spec.name} (pid ${child.pid})${port >= 0 ? ` on port ${port}` : ''}`);
    child.on('exit', (code, signal) => {
      if (this.stopping) return;
      if (!this.options.restartOnExit) return onUnexpectedExit(spec.name, code);
      this.options.write(`${spec.name} exited (${code ?? signal}); restarting it in 1s`);
      setTimeout(() => {
        if (!this.stopping) this.manage(spec, env, onUnexpectedExit, running);
      }, 1_000);
    });
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
      await Promise.all(this.balancers.map((balancer) => balancer.close()));
    })();
    return this.stopping;
  }

  private spawnProcess(
    name: string,
    entry: string,
    env: NodeJS.ProcessEnv,
    index: number,
    ipc = false,
    nodeArgs: readonly string[] = [],
  ) {
    const child = spawn(process.execPath, ['--enable-source-maps', ...nodeArgs, entry], {
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
