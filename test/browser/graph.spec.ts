import { readFileSync } from 'node:fs';
import { type ControlPlane, registerAndInstall, signUpTenant } from '@meshplane/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type MeshAgent, must, startAgent } from '../e2e/mesh-fixtures.js';
import { addMeshPeers } from '../e2e/policies-fixtures.js';
import {
  type ConsoleSession,
  hasChromium,
  logInInBrowser,
  openConsole,
  unexpectedProblems,
} from './support.js';

/**
 * The service and threat graph and the Flows page in real Chromium against the real stack: two
 * clusters with real simulated agents (test/browser/scenarios/graph-*.yaml, traffic across the
 * two), a Pass policy that publishes each cluster's pods to the other (so flows across clusters
 * are enriched with the peer's workload) and a Deny policy (so some flows are denied). Once both
 * clusters have reported traffic across clusters and denied traffic, the agents stop, so that
 * what the page draws can be compared with what the API answers.
 */

// biome-ignore lint/suspicious/noExplicitAny: the test reads GraphQL answers loosely
type Loose = any;

const GRAPH_QUERY = `query($from: DateTime!, $to: DateTime!, $filter: ServiceGraphFilter) {
  serviceGraph(from: $from, to: $to, filter: $filter) {
    nodes { id } edges { source destination crossCluster allowedFlows deniedFlows } } }`;
const CREATE_POLICY = 'mutation($input: CreatePolicyInput!) { createPolicy(input: $input) { policyId } }';

/** The window the page asks for by default (the last hour, to the start of the next minute). */
function lastHour() {
  const to = Math.floor(Date.now() / 60_000) * 60_000 + 60_000;
  return { from: new Date(to - 3_600_000).toISOString(), to: new Date(to).toISOString() };
}

/** What the canvas draws (the renderer's own graph), read from the canvas element. */
function drawn(page: Page) {
  return page.getByTestId('graph-canvas').evaluate((element) => {
    const graph = (element as Loose).meshplaneGraph;
    // No object spread here: the test's transpiler would call a helper the page does not have.
    const counts = graph.counts();
    return { nodes: counts.nodes, edges: counts.edges, positions: graph.positions() } as {
      nodes: number;
      edges: number;
      positions: Record<string, { x: number; y: number }>;
    };
  });
}

describe.skipIf(!hasChromium)('the graph and flows pages in Chromium', { timeout: 180_000 }, () => {
  let session: ConsoleSession;
  let cp: ControlPlane;
  let page: Page;
  let token: string;
  const agents: Omit<MeshAgent, 'clusterId'>[] = [];
  const query = <T = Loose>(q: string, variables: Record<string, unknown> = {}) =>
    must<T>(cp.gatewayUrl, q, variables, token);
  const graph = async (filter: Record<string, unknown> = {}) =>
    (await query(GRAPH_QUERY, { ...lastHour(), filter })).serviceGraph as {
      nodes: { id: string }[];
      edges: {
        source: string;
        destination: string;
        crossCluster: boolean;
        allowedFlows: number;
        deniedFlows: number;
      }[];
    };

  beforeAll(async () => {
    session = await openConsole({ env: { TELEMETRY_IDLE_PULL_MS: '200' } });
    ({ cp, page } = session);
    const tenant = await signUpTenant(cp.gatewayUrl, 'Graph Browser Co');
    token = tenant.token;
    await addMeshPeers(cp.gatewayUrl, token, ['graph-east', 'graph-west']);
    await query(CREATE_POLICY, {
      input: {
        kind: 'NetworkPolicy',
        name: 'deny-web-to-db',
        namespace: 'shop',
        spec: {
          tier: 'security',
          order: 100,
          selector: "app == 'db'",
          ingress: [{ action: 'Deny', source: { selector: "app == 'web'" } }, { action: 'Pass' }],
        },
      },
    });
    for (const name of ['west', 'east']) {
      const installed = await registerAndInstall(cp.gatewayUrl, token, {
        name: `graph-${name}`,
        labels: { geo: 'eu' },
      });
      agents.push(
        startAgent(installed, {
          name: `graph-${name}`,
          driver: 'simulated',
          scenario: `test/browser/scenarios/graph-${name}.yaml`,
        }),
      );
    }
    await eventually(
      async () => {
        const { edges } = await graph();
        const across = edges.filter((e) => e.crossCluster && e.allowedFlows > 0).length;
        const denied = edges.filter((e) => e.deniedFlows > 0).length;
        // …and flows across clusters sent once the policies had reached the clusters (traced).
        const traced = (
          await query(
            'query { flows(first: 500, filter: { policy: "mesh-peers" }) { nodes { source { cluster } destination { cluster } } } }',
          )
        ).flows.nodes.filter(
          (f: Loose) => f.destination.cluster !== null && f.destination.cluster !== f.source.cluster,
        ).length;
        return across >= 2 && denied >= 1 && traced >= 1 ? true : undefined;
      },
      90_000,
      'traffic across clusters and denied traffic in the service graph',
    ).catch((error: unknown) => {
      throw new Error(
        `${String(error)}\nagent logs:\n${agents.map((a) => a.logs.join('').slice(-2000)).join('\n')}`,
      );
    });
    // Stop the traffic, and wait until the last pulled batches are stored: the graph is still.
    for (const agent of agents) await agent.kill();
    let last = '';
    await eventually(
      async () => {
        const now = JSON.stringify(await graph());
        const still = now === last;
        last = now;
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        return still ? true : undefined;
      },
      30_000,
      'a still service graph',
    );
    // Log in through the console's form.
    await logInInBrowser(page, cp.gatewayUrl, { tenant: tenant.slug, email: tenant.email });
  }, 240_000);

  afterAll(async () => {
    for (const agent of agents) await agent.kill();
    await session?.close();
  });

  it('draws every node and edge the API answers, beside tables of the same', async () => {
    const expected = await graph();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Graph' }).click();
    await page.getByRole('heading', { name: 'Service and threat graph' }).waitFor();
    await page.getByTestId('graph-canvas').waitFor();
    await expect.poll(async () => (await drawn(page)).nodes).toBe(expected.nodes.length);
    const now = await drawn(page);
    expect(now.edges).toBe(expected.edges.length);
    expect(Object.keys(now.positions).sort()).toEqual(expected.nodes.map((n) => n.id).sort());
    expect(await page.getByTestId('graph-edges').locator('tbody tr').count()).toBe(expected.edges.length);
    expect(await page.getByTestId('graph-nodes').locator('tbody tr').count()).toBe(expected.nodes.length);
    await page
      .getByRole('status')
      .filter({ hasText: `${expected.nodes.length} nodes and ${expected.edges.length} edges` })
      .waitFor();
    // Both verdicts are drawn, and edges between the clusters.
    expect(
      await page
        .locator('[data-testid=graph-edges] tr:is([data-verdict=denied], [data-verdict=mixed])')
        .count(),
    ).toBeGreaterThan(0);
    expect(await page.getByTestId('graph-edges').getByText('cross-cluster').count()).toBeGreaterThan(1);
    await session.expectAccessible('graph');
    await session.screenshot('graph');
  });

  it('filters by verdict, namespace and cross-cluster, and draws only what matches', async () => {
    const denied = await graph({ action: 'DENY' });
    expect(denied.edges.length).toBeGreaterThan(0);
    await page.getByLabel('Verdict').selectOption({ label: 'Denied only' });
    await expect.poll(async () => (await drawn(page)).edges).toBe(denied.edges.length);
    expect((await drawn(page)).nodes).toBe(denied.nodes.length);
    const rows = page.getByTestId('graph-edges').locator('tbody tr');
    expect(await rows.count()).toBe(denied.edges.length);
    expect(await page.locator('[data-testid=graph-edges] tbody tr:not([data-verdict=denied])').count()).toBe(
      0,
    );
    expect(new URL(page.url()).searchParams.get('verdict')).toBe('DENY');

    await page.getByLabel('Verdict').selectOption({ label: 'Allowed and denied' });
    const payments = await graph({ namespace: 'payments' });
    await page.getByLabel('Namespace').selectOption('payments');
    await expect.poll(async () => (await drawn(page)).edges).toBe(payments.edges.length);
    expect((await drawn(page)).nodes).toBe(payments.nodes.length);
    await page.getByLabel('Namespace').selectOption({ label: 'All namespaces' });

    const all = await graph();
    const across = all.edges.filter((e) => e.crossCluster);
    await page.getByLabel('Cross-cluster only').check();
    await expect.poll(async () => (await drawn(page)).edges).toBe(across.length);
    await page.getByLabel('Cross-cluster only').uncheck();
    await expect.poll(async () => (await drawn(page)).edges).toBe(all.edges.length);
  });

  it('selects an edge from the keyboard and shows its flows and the policy trace that decided them', async () => {
    const { edges } = await graph();
    // An edge across clusters whose newest flows carry a trace.
    let edge: (typeof edges)[number] | undefined;
    let flows: Loose;
    for (const candidate of edges.filter((e) => e.crossCluster && e.allowedFlows > 0)) {
      flows = await query(
        'query($e: FlowEdgeFilter!) { flows(filter: { edge: $e }, first: 20) { nodes { clusterId seq policies { name } } } }',
        { e: { source: candidate.source, destination: candidate.destination } },
      );
      if (flows.flows.nodes.some((f: Loose) => f.policies.length > 0)) {
        edge = candidate;
        break;
      }
    }
    if (!edge) throw new Error('no edge across clusters has a traced flow');
    const button = page
      .getByTestId('graph-edges')
      .locator('tbody tr')
      .nth(edges.indexOf(edge))
      .getByRole('button');
    await button.focus();
    await page.keyboard.press('Enter');
    const details = page.getByTestId('edge-details');
    await details.waitFor();
    expect(await button.getAttribute('aria-pressed')).toBe('true');
    const flowRows = details.locator('tbody tr[data-flow]');
    await expect.poll(() => flowRows.count()).toBe(flows.flows.nodes.length);
    expect(await flowRows.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-flow')))).toEqual(
      flows.flows.nodes.map((f: Loose) => `${f.clusterId}:${f.seq}`),
    );
    // The simulated data plane's trace (flows sent before the policies reached the cluster have none).
    const traced = flows.flows.nodes.findIndex((f: Loose) => f.policies.length > 0);
    expect(traced, JSON.stringify(flows.flows.nodes)).toBeGreaterThanOrEqual(0);
    await flowRows
      .nth(traced)
      .getByRole('button', { name: /^Trace/ })
      .click();
    const trace = details.getByRole('list', { name: 'Policy trace' });
    await trace.waitFor();
    // The Pass rule of mesh-peers sent it on to the next tier.
    expect(await trace.textContent()).toContain('security › mesh-peers: pass');
    await session.expectAccessible('graph (edge selected)');
  });

  it('selects a node with the mouse on the canvas and lists its edges', async () => {
    const { nodes, edges } = await graph();
    const target = nodes.find((n) => n.id.startsWith('workload:') && edges.some((e) => e.source === n.id))!;
    const canvas = page.getByTestId('graph-canvas');
    await canvas.scrollIntoViewIfNeeded();
    const at = await canvas.evaluate(
      (element, id) => (element as Loose).meshplaneGraph.viewportOf(id) as { x: number; y: number },
      target.id,
    );
    const box = (await canvas.boundingBox())!;
    await page.mouse.click(box.x + at.x, box.y + at.y);
    const details = page.getByTestId('node-details');
    await details.waitFor();
    const [, cluster, namespace, name] = /^workload:([^/]*)\/([^/]*)\/(.+)$/.exec(target.id)!;
    expect(await details.getByRole('heading', { level: 2 }).textContent()).toBe(
      `workload ${cluster} / ${namespace} / ${name}`,
    );
    const touching = edges.filter((e) => e.source === target.id || e.destination === target.id);
    expect(await details.locator('.edge-list li').count()).toBe(Math.min(50, touching.length));
  });

  it('draws the same layout after a reload', async () => {
    const before = (await drawn(page)).positions;
    expect(Object.keys(before).length).toBeGreaterThan(3);
    await page.reload();
    await page.getByTestId('graph-canvas').waitFor();
    await expect
      .poll(async () => Object.keys((await drawn(page)).positions).length)
      .toBe(Object.keys(before).length);
    expect((await drawn(page)).positions).toEqual(before);
  });

  it('lists enriched flows, pages with the cursor, filters, and downloads the rows shown as CSV', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Flows' }).click();
    await page.getByRole('heading', { name: 'Flows', exact: true }).waitFor();
    await page.getByLabel('Page size').selectOption('25');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const rows = page.locator('table.flows tbody tr[data-flow]');
    await expect.poll(() => rows.count()).toBe(25);
    const firstPage = await rows.evaluateAll((r) => r.map((row) => row.getAttribute('data-flow')));
    const api = await query(
      'query { flows(first: 25) { nodes { clusterId seq source { cluster namespace workload } } pageInfo { endCursor } } }',
    );
    expect(firstPage).toEqual(api.flows.nodes.map((f: Loose) => `${f.clusterId}:${f.seq}`));
    // Both ends enriched: the source's cluster and workload are shown.
    const first = api.flows.nodes[0];
    expect(await rows.first().textContent()).toContain(
      `${first.source.cluster} / ${first.source.namespace} / ${first.source.workload}`,
    );
    await session.expectAccessible('flows');
    await session.screenshot('flows');

    // The cursor: the next page is the API's page after the first one.
    await page.getByRole('button', { name: 'Next page' }).click();
    const second = await query(
      'query($after: String) { flows(first: 25, after: $after) { nodes { clusterId seq } } }',
      { after: api.flows.pageInfo.endCursor },
    );
    await expect
      .poll(() => rows.evaluateAll((r) => r.map((row) => row.getAttribute('data-flow'))))
      .toEqual(second.flows.nodes.map((f: Loose) => `${f.clusterId}:${f.seq}`));
    await page.getByText('Page 2:').waitFor();
    await page.getByRole('button', { name: 'Previous page' }).click();
    await expect
      .poll(() => rows.evaluateAll((r) => r.map((row) => row.getAttribute('data-flow'))))
      .toEqual(firstPage);

    // A filter: denied flows only, every row denied.
    await page.getByLabel('Verdict').selectOption({ label: 'Denied' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const denied = await query(
      'query { flows(first: 25, filter: { action: DENY }) { nodes { clusterId seq } } }',
    );
    await expect
      .poll(() => rows.evaluateAll((r) => r.map((row) => row.getAttribute('data-flow'))))
      .toEqual(denied.flows.nodes.map((f: Loose) => `${f.clusterId}:${f.seq}`));
    expect(await page.locator('table.flows tbody .verdict.allow').count()).toBe(0);

    // The CSV holds exactly the rows shown, in order.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV of the rows shown' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\r\n');
    const header = csv[0]!.split(',');
    const seqColumn = header.indexOf('seq');
    const actionColumn = header.indexOf('action');
    expect(csv.length - 1).toBe(denied.flows.nodes.length);
    expect(csv.slice(1).map((line) => line.split(',')[seqColumn])).toEqual(
      denied.flows.nodes.map((f: Loose) => String(f.seq)),
    );
    expect(new Set(csv.slice(1).map((line) => line.split(',')[actionColumn]))).toEqual(new Set(['deny']));
    await session.expectAccessible('flows (denied)');
    // The only refusal: the log-in page asking for a session before there was one.
    expect(unexpectedProblems(session.problems, [/401/])).toEqual([]);
  });
});
