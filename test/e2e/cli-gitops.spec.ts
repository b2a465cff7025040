import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AgentHandle, parseScenario, SimulatedDriver, silentLogger } from '@meshplane/agent';
import { type ControlPlane, registerAndInstall, signUpTenant, startControlPlane } from '@meshplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessAgentConfig, startInProcessAgent } from '../support/in-process-agent.js';
import { eventually, must } from './mesh-fixtures.js';

/**
 * The `meshplane` CLI (libs/cli, built) as a child process against the real stack: login with an
 * API token, apply of a folder, `get` then plan/apply of the same files changing nothing, bad
 * fields reported at their file:line:column, two applies of plans of one revision (one CONFLICT),
 * and a plan's what-if equal to the `whatIf` query of the same policies over recorded flows.
 */

const CLI = new URL('../../libs/cli/dist/main.js', import.meta.url).pathname;

const scenario = `
cluster: west
seed: 21
podCidr: 10.91.0.0/26
nodes: { count: 2 }
namespaces:
  - { name: shop, labels: { env: test } }
workloads:
  - { name: web, namespace: shop, replicas: 2, labels: { app: web } }
  - { name: api, namespace: shop, replicas: 2, labels: { app: api } }
  - { name: db, namespace: shop, replicas: 1, labels: { app: db } }
services:
  - { name: api, namespace: shop, selector: { app: api }, ports: [{ name: http, port: 80, targetPort: 8080 }] }
flows:
  perSecond: 100
`;

const TIER = `apiVersion: projectcalico.org/v3
kind: Tier
metadata:
  name: security
spec:
  order: 100
  defaultAction: Pass
`;

const policy = (name: string, action = 'Allow') => `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: ${name}
spec:
  tier: security
  order: 10
  selector: app == 'web'
  ingress:
    - action: ${action}
      protocol: TCP
      destination:
        ports: [8080]
`;

const BAD_FIELD = `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: bad-rule
spec:
  tier: security
  selector: app == 'web'
  ingress:
    - actoin: Allow
`;

const LOCKDOWN = `# the api takes no ingress: the default tier's Deny decides
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: lockdown-api
  namespace: shop
spec:
  selector: app == 'api'
  types: [Ingress]
`;

// biome-ignore lint/suspicious/noExplicitAny: the test reads JSON answers loosely
type Loose = any;

describe('meshplane CLI end to end (child processes against the real stack)', () => {
  let cp: ControlPlane;
  let ownerToken: string;
  let apiToken: string;
  let work: string;
  let agent: AgentHandle | undefined;

  const query = <T>(q: string, variables: Record<string, unknown> = {}) =>
    must<T>(cp.gatewayUrl, q, variables, ownerToken);

  /** Runs the built CLI in the work folder; resolves with its exit code and output. */
  function meshplane(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const { MESHPLANE_TOKEN: _t, MESHPLANE_URL: _u, NO_COLOR: _n, ...env } = process.env;
      const child = spawn(process.execPath, [CLI, ...args], {
        cwd: work,
        env: { ...env, MESHPLANE_CONFIG: join(work, 'config', 'credentials.json') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  async function files(folder: string, contents: Record<string, string>): Promise<string> {
    await mkdir(join(work, folder), { recursive: true });
    for (const [name, text] of Object.entries(contents)) await writeFile(join(work, folder, name), text);
    return folder;
  }

  const flowCount = async () =>
    (await query<{ flows: { nodes: unknown[] } }>('{ flows(first: 1000) { nodes { seq } } }')).flows.nodes
      .length;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'meshplane-cli-'));
    cp = await startControlPlane({ TELEMETRY_IDLE_PULL_MS: '100' });
    ownerToken = (await signUpTenant(cp.gatewayUrl, 'CLI E2E')).token;
    apiToken = (
      await query<{ createApiToken: { secret: string } }>(
        'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { secret } }',
        { i: { name: 'gitops', role: 'editor', expiresAt: new Date(Date.now() + 86_400_000).toISOString() } },
      )
    ).createApiToken.secret;
    const installed = await registerAndInstall(cp.gatewayUrl, ownerToken, {
      name: 'west',
      labels: { geo: 'eu' },
    });
    agent = await startInProcessAgent(
      inProcessAgentConfig({
        ...installed,
        hubUrl: `ws://127.0.0.1:${cp.port(10)}/agents`,
        apiUrl: cp.gatewayUrl,
      }),
      new SimulatedDriver(parseScenario(scenario, 'west.yaml'), silentLogger),
    );
    await eventually(async () => ((await flowCount()) > 50 ? true : undefined), 30_000, 'flows stored');
    // Every test runs logged in (the first checks login itself, again).
    const login = await meshplane('login', '--url', cp.gatewayUrl, '--token', apiToken);
    if (login.code !== 0) throw new Error(`login failed: ${login.stderr}`);
  }, 120_000);

  afterAll(async () => {
    await agent?.stop();
    await cp?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('logs in with an API token and keeps it in a file only its owner can read', async () => {
    const login = await meshplane('login', '--url', cp.gatewayUrl, '--token', apiToken);
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);
    expect(login.stdout).toMatch(/^Logged in to cli-e2e\S* \(editor\)/);
    const info = await stat(join(work, 'config', 'credentials.json'));
    expect(info.mode & 0o777).toBe(0o600);
    const refused = await meshplane('login', '--url', cp.gatewayUrl, '--token', 'mpt_not_a_token');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/UNAUTHENTICATED/);
  });

  it('applies a folder; get, then plan and apply of the same files, change nothing', async () => {
    const folder = await files('gitops', { '00-tier.yaml': TIER, 'policies.yaml': policy('allow-web') });
    const applied = await meshplane('apply', '-f', folder, '--yes', '--no-what-if');
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('+ create Tier security (gitops/00-tier.yaml:1:1)');
    expect(applied.stdout).toMatch(/Applied: 2 created, 0 updated, 0 deleted; change [0-9a-f-]{36}/);

    const again = await meshplane('plan', '-f', folder, '--no-what-if');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Plan: 0 to create, 0 to update, 0 to delete, 2 unchanged.');

    const get = await meshplane('get');
    expect(get.code).toBe(0);
    await writeFile(join(work, 'live.yaml'), get.stdout);
    expect((await meshplane('get')).stdout).toBe(get.stdout); // stable order and text
    const replan = await meshplane('plan', '-f', 'live.yaml', '--no-what-if');
    expect(replan.code).toBe(0);
    expect(replan.stdout).toContain('Plan: 0 to create, 0 to update, 0 to delete, 2 unchanged.');
    const reapply = await meshplane('apply', '-f', 'live.yaml', '--yes', '--no-what-if');
    expect(reapply.code).toBe(0);
    expect(reapply.stdout).toContain('Nothing to apply.');

    // A change shows as a JSON-pointer diff, and plan exits 2.
    await files('gitops', { 'policies.yaml': policy('allow-web', 'Deny') });
    const changed = await meshplane('plan', '-f', folder, '--no-what-if');
    expect(changed.code).toBe(2);
    expect(changed.stdout).toContain('~ update GlobalNetworkPolicy allow-web (gitops/policies.yaml:1:1)');
    expect(changed.stdout).toContain('/spec/ingress/0/action: "Allow" → "Deny"');
    const json = JSON.parse((await meshplane('plan', '-f', folder, '--no-what-if', '-o', 'json')).stdout);
    expect(json.entries.map((e: Loose) => e.action)).toEqual(['Unchanged', 'Update']);
  });

  it('reports a bad field and a YAML error at file:line:column and plans nothing', async () => {
    const folder = await files('bad', { 'policy.yaml': BAD_FIELD });
    const bad = await meshplane('plan', '-f', folder, '--no-what-if');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    // Line 9 holds `- actoin: Allow`; its value starts at column 15.
    expect(bad.stderr).toMatch(/^bad\/policy\.yaml:9:15: spec\.ingress\[0\]\.actoin: /m);

    // A YAML error (a key given twice, on line 3) stops before anything is sent.
    await files('broken', { 'policy.yaml': 'apiVersion: projectcalico.org/v3\nkind: Tier\nkind: Tier\n' });
    const broken = await meshplane('plan', '-f', 'broken');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toBe('broken/policy.yaml:3:1: Map keys must be unique\n');
  });

  it('applies one of two plans made against the same revision; the other is refused with CONFLICT', async () => {
    const a = await files('concurrent-a', { 'a.yaml': policy('from-a') });
    const b = await files('concurrent-b', { 'b.yaml': policy('from-b') });
    const planA = JSON.parse((await meshplane('plan', '-f', a, '--no-what-if', '-o', 'json')).stdout);
    const planB = JSON.parse((await meshplane('plan', '-f', b, '--no-what-if', '-o', 'json')).stdout);
    expect(planA.revision).toBe(planB.revision);
    const results = await Promise.all([
      meshplane('apply', '--plan', planA.id, '--yes'),
      meshplane('apply', '--plan', planB.id, '--yes'),
    ]);
    expect(results.map((r) => r.code).sort()).toEqual([0, 1]);
    const loser = results.find((r) => r.code === 1)!;
    expect(loser.stderr).toMatch(/^CONFLICT: the tenant's tiers or policies changed since this plan/);
    const names = (
      await query<{ changeSetObjects: { objects: Loose[] } }>('{ changeSetObjects { objects } }')
    ).changeSetObjects.objects.map((o) => o.metadata.name);
    expect(names.filter((n: string) => n.startsWith('from-'))).toHaveLength(1);
  });

  it('plans the documented example folder (docs/examples/gitops/policies) without an issue', async () => {
    const folder = new URL('../../docs/examples/gitops/policies', import.meta.url).pathname;
    const planned = await meshplane('plan', '-f', folder, '--no-what-if', '-o', 'json');
    expect(planned.stderr).toBe('');
    const plan = JSON.parse(planned.stdout);
    expect(plan.entries.slice(1).map((e: Loose) => `${e.action} ${e.kind} ${e.name}`)).toEqual([
      'Create ComplianceZone eu',
      'Create FelixConfiguration default',
      'Create GlobalNetworkPolicy allow-https',
      'Create NetworkPolicy db-from-api',
      'Create StagedNetworkPolicy api-lockdown',
    ]);
  });

  it('lists clusters, prints the one-line install of a new cluster, and prints flows', async () => {
    const clusters = await meshplane('clusters');
    expect(clusters.code).toBe(0);
    expect(clusters.stdout).toMatch(
      /^NAME\s+CONNECTED\s+CONFIG\s+LABELS\nwest\s+true\s+\S+ \d+\/\d+\s+geo=eu\n$/,
    );
    const install = await meshplane('install', 'east', '--label', 'geo=us');
    expect(install.code).toBe(0);
    expect(install.stdout).toMatch(/^kubectl apply -f http:\/\/\S+\/install\/mpi_\S+\.yaml\n$/);
    const flows = await meshplane('flows', '--since', '10m');
    expect(flows.code).toBe(0);
    expect(flows.stdout.split('\n')[0]).toMatch(/^\S+Z (ALLOW|DENY) +\S+ \S*shop\/\S+ → \S*shop\/\S+/);
  });

  it("gives a plan's what-if equal to whatIf of the same policies over the same recorded flows", {
    timeout: 60_000,
  }, async () => {
    // No new flows from here on, so both read the same rows.
    await agent?.stop();
    agent = undefined;
    let last = -1;
    await eventually(
      async () => {
        const now = await flowCount();
        const stable = now === last;
        last = now;
        if (!stable) await new Promise((r) => setTimeout(r, 1_000));
        return stable ? true : undefined;
      },
      30_000,
      'flow count stable',
    );
    const folder = await files('lockdown', { 'lockdown.yaml': LOCKDOWN });
    const planned = await meshplane('plan', '-f', folder, '-o', 'json', '--what-if-window', '1h');
    expect(planned.stderr).toBe('');
    expect(planned.code).toBe(2);
    const plan = JSON.parse(planned.stdout);
    expect(plan.whatIf.changed).toBeGreaterThan(0);
    const { whatIf } = await query<{ whatIf: Loose }>(
      `query($i: WhatIfInput!) { whatIf(input: $i) { evaluated skipped changed newlyDenied newlyAllowed truncated
        flows { oldAction newAction flow { clusterId protocol source { namespace workload } destination { namespace workload port } } }
        groups { clusterId decidedBy changed newlyDenied newlyAllowed } } }`,
      {
        i: {
          ...plan.whatIfWindow,
          changes: [
            {
              upsert: {
                kind: 'NetworkPolicy',
                name: 'lockdown-api',
                namespace: 'shop',
                spec: { selector: "app == 'api'", types: ['Ingress'] },
              },
            },
          ],
        },
      },
    );
    expect(plan.whatIf).toEqual(whatIf);
    // Grouped by reporting cluster and deciding step: the api's ingress now ends at the default tier's Deny.
    expect(plan.whatIf.groups.reduce((sum: number, g: Loose) => sum + g.changed, 0)).toBe(
      plan.whatIf.changed,
    );
    expect(plan.whatIf.groups.map((g: Loose) => g.decidedBy)).toContain(
      'ingress: tier default: no rule decided → tier default Deny',
    );
    // Scoped to a namespace no flow has: nothing evaluated.
    const scoped = JSON.parse(
      (await meshplane('plan', '-f', folder, '-o', 'json', '--what-if-namespace', 'nowhere')).stdout,
    );
    expect(scoped.whatIf).toMatchObject({ evaluated: 0, changed: 0, groups: [] });
  });
});
