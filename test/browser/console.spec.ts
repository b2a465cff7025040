import { fetchInstallManifest, STRONG_PASSWORD } from '@meshplane/testing';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MeshAgent, startAgent } from '../e2e/mesh-fixtures.js';
import { type ConsoleSession, hasChromium, openConsole, unexpectedProblems } from './support.js';

/**
 * The console in real Chromium (Debian's, driven by playwright-core) against the real stack:
 * sign up → register a cluster → start its agent with the install command's token → see it
 * connected → revoke it behind the confirmation → log out. axe-core checks every page; each page
 * is screenshotted into test/browser/screenshots/ (git-ignored) at 1280×800 and 390×844.
 */

const CLUSTER = 'browser-eu-1';

describe.skipIf(!hasChromium)('the console in Chromium', { timeout: 120_000 }, () => {
  let session: ConsoleSession;
  let cp: ConsoleSession['cp'];
  let context: BrowserContext;
  let page: Page;
  let agent: Omit<MeshAgent, 'clusterId'> | undefined;
  const expectAccessible = (name: string) => session.expectAccessible(name);
  const screenshot = (name: string) => session.screenshot(name);

  beforeAll(async () => {
    session = await openConsole();
    ({ cp, context, page } = session);
  });

  afterAll(async () => {
    await agent?.kill();
    await session?.close();
  });

  it('sends a new visitor to the log-in page, and sign-up from there', async () => {
    await page.goto(cp.gatewayUrl);
    await page.getByRole('heading', { name: 'Log in to Meshplane' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await expectAccessible('login');
    await screenshot('login');

    // A wrong password shows the server's message.
    await page.getByLabel('Tenant').fill('no-such-tenant');
    await page.getByLabel('Email').fill('nobody@example.com');
    await page.getByLabel('Password').fill('Wrong-Password-123');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('wrong tenant, email or password');

    await page.getByRole('link', { name: 'Create a tenant' }).click();
    await page.getByRole('heading', { name: 'Create a tenant' }).waitFor();
    await expectAccessible('signup');
    await screenshot('signup');
    await page.getByLabel('Organisation').fill('Browser Test Co');
    await page.getByLabel('Email').fill('owner@browser-test.example');
    await page.getByLabel('Password').fill(STRONG_PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'Clusters', exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/clusters');
    await page.getByText('No clusters yet').waitFor();
    // The session is in httpOnly cookies: nothing for a script to read, nothing in storage.
    expect(await page.evaluate(() => [document.cookie, localStorage.length, sessionStorage.length])).toEqual([
      '',
      0,
      0,
    ]);
    await expectAccessible('clusters (empty)');
    await screenshot('clusters-empty');
  });

  it('registers a cluster, shows its install command with a copy button, and shows the agent connected', async () => {
    await page.getByLabel('Name').fill(CLUSTER);
    await page.getByLabel('Labels').fill('geo=eu, env=test');
    await page.getByRole('button', { name: 'Register' }).click();
    const command = page.getByTestId('install-command');
    await command.waitFor();
    const installCommand = (await command.textContent()) ?? '';
    expect(installCommand).toMatch(new RegExp(`^kubectl apply -f ${cp.gatewayUrl}/install/\\S+\\.yaml$`));
    await page.getByRole('button', { name: `Copy the install command of ${CLUSTER}` }).click();
    await page.getByText('Copied.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(installCommand);

    const row = page.getByRole('row', { name: new RegExp(CLUSTER) });
    await row.getByText('Never connected').waitFor();
    await expectAccessible('clusters (registered)');
    await screenshot('clusters-registered');

    // The same name again: the server's conflict, shown as it said it.
    await page.getByLabel('Name').fill(CLUSTER);
    await page.getByLabel('Labels').fill('');
    await page.getByRole('button', { name: 'Register' }).click();
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toMatch(/a cluster with this name already exists/);

    // The agent installs from the command the page showed (the real install path).
    agent = startAgent(await fetchInstallManifest(installCommand), {
      name: CLUSTER,
      driver: 'simulated',
      scenario: 'agent/scenarios/eu-west-1.yaml',
    });
    const connected = row.getByText('Connected', { exact: true });
    // The page polls every 5 s, no reload; the agent needs a few seconds on a loaded machine.
    await connected.waitFor({ timeout: 60_000 }).catch((error: unknown) => {
      throw new Error(`${String(error)}\nagent log:\n${agent?.logs.join('').slice(-3000)}`);
    });
    const cells = await row.getByRole('cell').allTextContents();
    expect(cells[1]).toMatch(/s ago$/); // last seen
    expect(cells[2]).toMatch(/^\d+\.\d+\.\d+/); // agent version
    expect(cells[3]).not.toBe('—'); // Kubernetes version
    await expectAccessible('clusters (connected)');
    await screenshot('clusters-connected');
  });

  it('revokes the cluster only after the confirmation dialog, and its agent is shown revoked', async () => {
    const row = page.getByRole('row', { name: new RegExp(CLUSTER) });
    await row.getByRole('button', { name: `Revoke ${CLUSTER}` }).click();
    const dialog = page.getByRole('dialog', { name: `Revoke ${CLUSTER}?` });
    await dialog.waitFor();
    await expectAccessible('revoke dialog');
    await screenshot('revoke-dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row.getByText('Connected', { exact: true }).waitFor();

    await row.getByRole('button', { name: `Revoke ${CLUSTER}` }).click();
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await row.getByText('Revoked', { exact: true }).waitFor();
    await expect.poll(() => row.getByRole('button', { name: /Revoke/ }).count()).toBe(0);
  });

  it('logs out: back to the log-in page, and a reload stays signed out', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in to Meshplane' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Log in to Meshplane' }).waitFor();
    expect(await context.cookies()).toEqual([]);
    expect(unexpectedProblems(session.problems, [/401/, /409/])).toEqual([]);
  });
});
