import { fetchInstallManifest, gql } from '@meshplane/testing';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MeshAgent, must, startAgent } from '../e2e/mesh-fixtures.js';
import { addMember, logIn } from '../e2e/tenants-fixtures.js';
import {
  type ConsoleSession,
  hasChromium,
  logInInBrowser,
  openConsole,
  signUpInBrowser,
  unexpectedProblems,
} from './support.js';

/**
 * The Clusters page in real Chromium against the real stack: register a cluster, start its agent
 * with the install command the page showed, see its live status (versions, config applied, dropped
 * flows); edit its labels (a bad one refused at the field, a good one saved); rotate its install
 * token (the new command shown once, the earlier one no longer installs); revoke and delete it
 * behind confirmations; an editor and a viewer see only the controls their role may use, and the
 * server refuses the rest anyway.
 */

const CLUSTER = 'clusters-eu-1';
const SECOND = 'clusters-us-1';
const OWNER = { organisation: 'Clusters Browser Co', email: 'owner@clusters-browser.example' };
const VIEWER_EMAIL = 'viewer@clusters-browser.example';
const EDITOR_EMAIL = 'editor@clusters-browser.example';

/** expect.poll with room for a loaded machine (2 cores shared with the stack and Chromium). */
function poll<T>(read: () => T | Promise<T>, options: { timeout?: number } = {}) {
  return expect.poll(read, { timeout: 20_000, ...options });
}

interface Listed {
  clusters: { id: string; name: string; labels: { key: string; value: string }[] }[];
}
const LIST = '{ clusters { id name labels { key value } } }';

describe.skipIf(!hasChromium)('the Clusters page in Chromium', { timeout: 180_000 }, () => {
  let session: ConsoleSession;
  let page: Page;
  let gatewayUrl: string;
  let ownerToken: string;
  let slug: string;
  let firstCommand: string;
  let agent: Omit<MeshAgent, 'clusterId'> | undefined;
  const expectAccessible = (name: string) => session.expectAccessible(name);
  const screenshot = (name: string) => session.screenshot(name);
  const table = () => page.getByRole('table', { name: "Clusters and their agents' status" });
  const row = (name: string) => table().getByRole('row', { name: new RegExp(name) });
  const detail = (name: string) => page.getByRole('region', { name: `Cluster ${name}` });
  const labelsForm = () => detail(CLUSTER).getByRole('form', { name: `Edit the labels of ${CLUSTER}` });

  /** Logs out and in again through the console's form as `email`. */
  async function logInAs(email: string) {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in to Meshplane' }).waitFor();
    await logInInBrowser(page, gatewayUrl, { tenant: slug, email });
    await page.getByRole('heading', { name: 'Clusters', exact: true }).waitFor();
  }

  /** Invites `email` with `role` (as the owner) and accepts; returns the member's bearer token. */
  async function member(email: string, role: 'viewer' | 'editor'): Promise<string> {
    return (await addMember(gatewayUrl, { owner: { token: ownerToken } }, role, email)).token;
  }

  async function cellsOf(locator: Locator): Promise<string[]> {
    return locator.getByRole('cell').allTextContents();
  }

  /** The details' facts, term → description. */
  async function factsOf(panel: Locator): Promise<Record<string, string>> {
    const terms = await panel.locator('dl.facts > dt').allTextContents();
    const descriptions = await panel.locator('dl.facts > dd').allTextContents();
    return Object.fromEntries(terms.map((term, index) => [term, descriptions[index]]));
  }

  beforeAll(async () => {
    session = await openConsole();
    page = session.page;
    gatewayUrl = session.cp.gatewayUrl;
  });

  afterAll(async () => {
    await agent?.kill();
    await session?.close();
  });

  it('registers a cluster and shows its agent connected with versions, config applied and dropped flows', async () => {
    await signUpInBrowser(page, gatewayUrl, OWNER);
    // The console's session cookie is a token the API also takes as a Bearer token.
    const cookie = (await session.context.cookies()).find((c) => c.name === 'meshplane-session');
    slug = (
      await must<{ me: { tenant: { slug: string } } }>(
        gatewayUrl,
        '{ me { tenant { slug } } }',
        {},
        cookie!.value,
      )
    ).me.tenant.slug;
    // The owner's API calls get a session of their own: logging out in the browser ends the cookie's.
    ownerToken = await logIn(gatewayUrl, slug, OWNER.email);

    await page.getByText('No clusters yet').waitFor();
    const register = page.getByRole('form', { name: 'Register a cluster' });
    await register.getByLabel('Name').fill(CLUSTER);
    await register.getByLabel('Labels').fill('geo=eu');
    await register.getByRole('button', { name: 'Register' }).click();
    const command = page.getByTestId('install-command');
    await command.waitFor();
    firstCommand = (await command.textContent()) ?? '';
    expect(firstCommand).toMatch(new RegExp(`^kubectl apply -f ${gatewayUrl}/install/\\S+\\.yaml$`));
    await row(CLUSTER).getByText('Never connected').waitFor();

    agent = startAgent(await fetchInstallManifest(firstCommand), {
      name: CLUSTER,
      driver: 'simulated',
      scenario: 'agent/scenarios/eu-west-1.yaml',
    });
    // The page polls every 5 s, no reload; the agent needs a few seconds on a loaded machine.
    await row(CLUSTER)
      .getByText('Connected', { exact: true })
      .waitFor({ timeout: 60_000 })
      .catch((error: unknown) => {
        throw new Error(`${String(error)}\nagent log:\n${agent?.logs.join('').slice(-3000)}`);
      });
    // Columns: status, last seen, agent, Kubernetes, Calico, config applied / desired, dropped flows, errors, actions.
    await poll(async () => (await cellsOf(row(CLUSTER)))[5], { timeout: 60_000 }).toMatch(
      /^v([1-9]\d*) \/ v\1 applied$/,
    );
    const cells = await cellsOf(row(CLUSTER));
    expect(cells[1]).toMatch(/s ago$/);
    expect(cells[2]).toMatch(/^\d+\.\d+\.\d+/);
    expect(cells[3]).toMatch(/^v?\d+\.\d+/);
    expect(cells[4]).toMatch(/^v3\.\d+\.\d+$/);
    expect(cells[6]).toBe('0');
    expect(cells[7]).toBe('none');

    // The whole list is one request per poll (status, config and dropped flows included).
    const polled: string[] = [];
    const listen = (request: { url(): string; postData(): string | null }) => {
      if (request.url().endsWith('/graphql')) polled.push(request.postData() ?? '');
    };
    page.on('request', listen);
    await poll(() => polled.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    page.off('request', listen);
    expect(polled[0]).toContain('flowTelemetry');
    expect(polled[0]).toContain('calicoVersion');

    await expectAccessible('clusters (connected)');
    await screenshot('clusters-list');
  });

  it('shows the cluster in full when opened by its name', async () => {
    await row(CLUSTER).getByRole('link', { name: CLUSTER }).click();
    const panel = detail(CLUSTER);
    await panel.waitFor();
    expect(new URL(page.url()).searchParams.get('cluster')).toMatch(/^[0-9a-f-]{36}$/);
    const facts = await factsOf(panel);
    expect(facts.Status).toBe('Connected');
    expect(facts.Calico).toMatch(/^v3\.\d+\.\d+$/);
    expect(facts['Config applied / desired']).toMatch(/^v(\d+) \/ v\1 \(applied\), last result/);
    expect(facts['Dropped flows']).toBe('0');
    expect(facts.Labels).toBe('geo=eu');
    await panel.getByText('No errors.').waitFor();
    // Focus moved to the details.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('cluster-detail-heading');
    await expectAccessible('cluster detail');
    await screenshot('clusters-detail');
  });

  it("edits the labels: a bad one shows the server's error at the field, a good one is saved", async () => {
    const form = labelsForm();
    const field = form.getByLabel('Labels');
    expect(await field.inputValue()).toBe('geo=eu');
    await field.fill('geo=eu, -bad=x');
    await form.getByRole('button', { name: 'Save labels' }).click();
    const problem = form.getByRole('alert');
    await poll(() => problem.textContent()).toBe('"-bad" is not a valid label key');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    // The error is tied to the field for screen readers.
    const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
    expect(describedBy.split(' ')).toContain(await problem.getAttribute('id'));
    await expectAccessible('labels (refused)');
    await screenshot('clusters-labels-error');
    const unchanged = await must<Listed>(gatewayUrl, LIST, {}, ownerToken);
    expect(unchanged.clusters.find((c) => c.name === CLUSTER)?.labels).toEqual([{ key: 'geo', value: 'eu' }]);

    await field.fill('geo=eu, env=staging, example.com/team=mesh');
    await form.getByRole('button', { name: 'Save labels' }).click();
    await detail(CLUSTER).getByText('Labels saved.').waitFor();
    await row(CLUSTER).getByText('env=staging').waitFor();
    await row(CLUSTER).getByText('example.com/team=mesh').waitFor();
    expect(await labelsForm().getByRole('alert').count()).toBe(0);
    const saved = await must<Listed>(gatewayUrl, LIST, {}, ownerToken);
    expect(saved.clusters.find((c) => c.name === CLUSTER)?.labels).toEqual([
      { key: 'env', value: 'staging' },
      { key: 'example.com/team', value: 'mesh' },
      { key: 'geo', value: 'eu' },
    ]);
  });

  it('rotates the install token: the new command is shown once, and the earlier one no longer installs', async () => {
    const panel = detail(CLUSTER);
    const rotated = page.getByTestId('rotated-install-command');
    await panel.getByRole('button', { name: 'Rotate the install token' }).click();
    await rotated.waitFor();
    const second = (await rotated.textContent()) ?? '';
    expect(second).toMatch(new RegExp(`^kubectl apply -f ${gatewayUrl}/install/\\S+\\.yaml$`));
    expect(second).not.toBe(firstCommand);
    await panel.getByRole('button', { name: `Copy the new install command of ${CLUSTER}` }).click();
    await panel.getByText('Copied.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(second);
    // It installs (fetching the manifest does not use the token up).
    expect((await fetchInstallManifest(second)).bootstrapToken).toMatch(/\S{20,}/);

    await panel.getByRole('button', { name: 'Rotate the install token' }).click();
    await poll(() => rotated.textContent()).not.toBe(second);
    const third = (await rotated.textContent()) ?? '';
    expect(third).toMatch(new RegExp(`^kubectl apply -f ${gatewayUrl}/install/\\S+\\.yaml$`));
    await expect(fetchInstallManifest(second)).rejects.toThrow(/HTTP 404/);
    expect((await fetchInstallManifest(third)).bootstrapToken).toMatch(/\S{20,}/);

    // Shown once: closing and opening the details again forgets it.
    await panel.getByRole('link', { name: 'Close the details' }).click();
    await panel.waitFor({ state: 'hidden' });
    await row(CLUSTER).getByRole('link', { name: CLUSTER }).click();
    await detail(CLUSTER).getByRole('button', { name: 'Rotate the install token' }).waitFor();
    expect(await rotated.count()).toBe(0);
  });

  it('revokes, then deletes the cluster behind confirmations that name it; Cancel keeps it', async () => {
    await row(CLUSTER)
      .getByRole('button', { name: `Revoke ${CLUSTER}` })
      .click();
    const revoke = page.getByRole('dialog', { name: `Revoke ${CLUSTER}?` });
    await revoke.waitFor();
    await revoke.getByRole('button', { name: 'Cancel' }).click();
    await revoke.waitFor({ state: 'hidden' });
    await row(CLUSTER).getByText('Connected', { exact: true }).waitFor();

    await row(CLUSTER)
      .getByRole('button', { name: `Revoke ${CLUSTER}` })
      .click();
    await revoke.getByRole('button', { name: 'Revoke' }).click();
    await row(CLUSTER).getByText('Revoked', { exact: true }).waitFor();
    await poll(() =>
      row(CLUSTER)
        .getByRole('button', { name: /^Revoke/ })
        .count(),
    ).toBe(0);
    // A revoked cluster has no install token to rotate (the API refuses it).
    await detail(CLUSTER).locator('dt', { hasText: 'Revoked' }).waitFor();
    expect(await detail(CLUSTER).getByRole('button', { name: 'Rotate the install token' }).count()).toBe(0);

    await row(CLUSTER)
      .getByRole('button', { name: `Delete ${CLUSTER}` })
      .click();
    const remove = page.getByRole('dialog', { name: `Delete ${CLUSTER}?` });
    await remove.waitFor();
    await expectAccessible('delete dialog');
    await screenshot('clusters-delete-dialog');
    await remove.getByRole('button', { name: 'Cancel' }).click();
    await remove.waitFor({ state: 'hidden' });
    await row(CLUSTER).waitFor();
    expect((await must<Listed>(gatewayUrl, LIST, {}, ownerToken)).clusters.map((c) => c.name)).toEqual([
      CLUSTER,
    ]);

    await row(CLUSTER)
      .getByRole('button', { name: `Delete ${CLUSTER}` })
      .click();
    await remove.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No clusters yet').waitFor();
    // The details of the deleted cluster closed with it.
    expect(new URL(page.url()).search).toBe('');
    expect(await detail(CLUSTER).count()).toBe(0);
    expect((await must<Listed>(gatewayUrl, LIST, {}, ownerToken)).clusters).toEqual([]);
  });

  it('shows an editor no revoke or delete control, and the server refuses the editor’s deleteCluster', async () => {
    const registered = await must<{ registerCluster: { cluster: { id: string } } }>(
      gatewayUrl,
      'mutation($i: RegisterClusterInput!) { registerCluster(input: $i) { cluster { id } } }',
      { i: { name: SECOND, labels: [{ key: 'geo', value: 'us' }] } },
      ownerToken,
    );
    const id = registered.registerCluster.cluster.id;
    const editorToken = await member(EDITOR_EMAIL, 'editor');
    await logInAs(EDITOR_EMAIL);
    await page.getByText(`${EDITOR_EMAIL} · ${OWNER.organisation} (editor)`).waitFor();
    await row(SECOND).getByText('Never connected').waitFor();
    await page.getByRole('form', { name: 'Register a cluster' }).waitFor();
    expect(await table().getByRole('button').count()).toBe(0);
    await row(SECOND).getByRole('link', { name: SECOND }).click();
    await detail(SECOND)
      .getByRole('form', { name: `Edit the labels of ${SECOND}` })
      .waitFor();
    await detail(SECOND).getByRole('button', { name: 'Rotate the install token' }).waitFor();

    const refused = await gql(
      gatewayUrl,
      'mutation($id: ID!) { deleteCluster(id: $id) }',
      { id },
      editorToken,
    );
    expect([refused.data?.deleteCluster ?? null, refused.errors?.[0]?.extensions?.code]).toEqual([
      null,
      'FORBIDDEN',
    ]);
  });

  it('shows a viewer no mutating control, and the server refuses the viewer’s updateClusterLabels', async () => {
    const viewerToken = await member(VIEWER_EMAIL, 'viewer');
    await logInAs(VIEWER_EMAIL);
    await page.getByText(`${VIEWER_EMAIL} · ${OWNER.organisation} (viewer)`).waitFor();
    await row(SECOND).getByText('Never connected').waitFor();
    expect(await page.getByRole('form', { name: 'Register a cluster' }).count()).toBe(0);
    expect(await table().getByRole('button').count()).toBe(0);
    await row(SECOND).getByRole('link', { name: SECOND }).click();
    const panel = detail(SECOND);
    await panel.waitFor();
    expect((await factsOf(panel)).Labels).toBe('geo=us');
    expect(await page.getByRole('form').count()).toBe(0);
    expect(
      await page.getByRole('button', { name: /Rotate|Save labels|Revoke|Delete|Register/ }).count(),
    ).toBe(0);
    await expectAccessible('clusters (viewer)');
    await screenshot('clusters-viewer');

    const { clusters } = await must<Listed>(gatewayUrl, LIST, {}, viewerToken);
    const refused = await gql(
      gatewayUrl,
      'mutation($id: ID!, $l: [LabelInput!]!) { updateClusterLabels(id: $id, labels: $l) { id } }',
      { id: clusters[0]!.id, l: [{ key: 'geo', value: 'eu' }] },
      viewerToken,
    );
    expect([refused.data?.updateClusterLabels ?? null, refused.errors?.[0]?.extensions?.code]).toEqual([
      null,
      'FORBIDDEN',
    ]);
    const after = await must<Listed>(gatewayUrl, LIST, {}, ownerToken);
    expect(after.clusters.map((c) => c.labels)).toEqual([[{ key: 'geo', value: 'us' }]]);
    // The signed-out console's session check after each log-out answers 401.
    expect(unexpectedProblems(session.problems, [/401/])).toEqual([]);
  });
});
