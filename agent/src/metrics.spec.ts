import { spawnSync } from 'node:child_process';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { type AgentHandle, startAgent } from './agent.js';
import { MemoryCredentialStore } from './credentials/credential-store.js';
import { SimulatedDriver } from './drivers/simulated/simulated-driver.js';
import { silentLogger } from './log.js';
import { DROPPED_DEFAULT_METRICS } from './metrics.js';
import { nextEvent, smallScenario, storedCredential, testConfig } from './spec-support/agent-fixtures.js';
import { FakeHub } from './spec-support/fake-hub.js';

// Prometheus' own linter (Debian's `prometheus` package ships it; CI installs it).
const PROMTOOL = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' }).stdout.trim();
if (!PROMTOOL)
  console.warn('SKIPPED the promtool lint of /metrics: promtool is absent (apt-get install -y prometheus)');

/** `promtool check metrics` on an exposition: its exit code and the metric names it flagged. */
function promtoolCheck(exposition: string): { status: number | null; findings: string[]; output: string } {
  const run = spawnSync(PROMTOOL, ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  const output = `${run.stdout}${run.stderr}`.trim();
  const findings = output === '' ? [] : output.split('\n').map((line) => line.split(' ')[0] ?? line);
  return { status: run.status, findings: findings.sort(), output };
}

/** The value of an unlabelled sample in a text exposition. */
function sample(exposition: string, name: string): number | undefined {
  const line = exposition.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

let hub: FakeHub | undefined;
let agent: AgentHandle | undefined;

afterEach(async () => {
  await agent?.stop();
  await hub?.close();
  agent = undefined;
  hub = undefined;
});

async function welcomedAgent(): Promise<string> {
  hub = await FakeHub.start();
  agent = await startAgent(testConfig(hub.url, { health: { host: '127.0.0.1', port: 0 } }), {
    driver: new SimulatedDriver(smallScenario(), silentLogger),
    credentialStore: new MemoryCredentialStore(storedCredential()),
    logger: silentLogger,
  });
  const connection = await hub.connection(0);
  await connection.waitFor('inventory.snapshot', (message) => message.lastPart);
  await expect.poll(() => agent?.stats.snapshotsSent).toBe(1);
  return agent.healthUrl!;
}

describe('agent /metrics', () => {
  it("serves the agent's own metrics, read from its state at scrape time", async () => {
    const url = await welcomedAgent();
    const response = await fetch(`${url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = await response.text();
    expect(sample(body, 'meshplane_agent_connected')).toBe(1);
    expect(sample(body, 'meshplane_agent_welcomes_total')).toBe(1);
    expect(sample(body, 'meshplane_agent_inventory_snapshots_sent_total')).toBe(1);
    expect(sample(body, 'meshplane_agent_inventory_objects')).toBe(agent!.inventory.size);
    expect(agent!.inventory.size).toBeGreaterThan(0);
    expect(body).toMatch(/^process_cpu_seconds_total /m);
    expect(body).toMatch(/^nodejs_active_handles\{type="/m);

    const disconnected = nextEvent(agent!.events, 'disconnected');
    hub!.connections[0]?.drop();
    await disconnected;
    const after = await (await fetch(`${url}/metrics`)).text();
    expect(sample(after, 'meshplane_agent_connected')).toBe(0);
    expect(sample(after, 'meshplane_agent_disconnects_total')).toBeGreaterThanOrEqual(1);
  });

  it('leaves out the three _total gauges of prom-client', async () => {
    const body = await (await fetch(`${await welcomedAgent()}/metrics`)).text();
    for (const name of DROPPED_DEFAULT_METRICS) expect(body).not.toContain(`${name} `);
  });
});

describe.skipIf(!PROMTOOL)('agent /metrics against promtool check metrics', () => {
  it('passes with no finding', async () => {
    const body = await (await fetch(`${await welcomedAgent()}/metrics`)).text();
    expect(body).toContain('meshplane_agent_connected 1');
    const check = promtoolCheck(body);
    expect(check.output).toBe('');
    expect(check.status).toBe(0);
  });

  it("prom-client's own defaults fail it on exactly the metrics the agent leaves out", async () => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const check = promtoolCheck(await registry.metrics());
    expect(check.status).not.toBe(0);
    expect(check.findings).toEqual([...DROPPED_DEFAULT_METRICS].sort());
  });
});
