import { existsSync, mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { type ControlPlane, STRONG_PASSWORD, startControlPlane } from '@meshplane/testing';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * What every console browser test shares: Debian's Chromium driven by playwright-core against the
 * real stack (startControlPlane), axe-core checks, screenshots at the desktop and phone sizes into
 * test/browser/screenshots/ (git-ignored), and a record of console errors and uncaught page errors.
 */

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`SKIPPED the console browser tests: ${CHROMIUM} is absent (apt-get install -y chromium)`);
}
export const SCREENSHOTS = new URL('./screenshots/', import.meta.url).pathname;

export interface ConsoleSession {
  readonly cp: ControlPlane;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and uncaught page errors seen so far (a CSP violation shows here). */
  readonly problems: string[];
  /** No serious or critical axe-core violation on the page as it is now. */
  expectAccessible(name: string): Promise<void>;
  /**
   * Full-page screenshots at 1280×800 and at 390×844, with no horizontal scrolling at either size,
   * and the first 1280×800 as it appears.
   */
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts the control plane (unless given one) and a browser page on its gateway. */
export async function openConsole(options: { cp?: ControlPlane; env?: Record<string, string> } = {}) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const ownsControlPlane = options.cp === undefined;
  const cp = options.cp ?? (await startControlPlane(options.env));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: cp.gatewayUrl });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));

  const session: ConsoleSession = {
    cp,
    browser,
    context,
    page,
    problems,
    async expectAccessible(name) {
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map(
          (v) =>
            `${name}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
        );
      expect(bad).toEqual([]);
    },
    async screenshot(name) {
      for (const [size, viewport] of [
        ['desktop', { width: 1280, height: 800 }],
        ['phone', { width: 390, height: 844 }],
      ] as const) {
        await page.setViewportSize(viewport);
        await page.screenshot({ path: `${SCREENSHOTS}${name}-${size}.png`, fullPage: true });
        // What a visitor sees first (the README's pictures come from these).
        if (size === 'desktop') await page.screenshot({ path: `${SCREENSHOTS}${name}-desktop-fold.png` });
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect([name, size, overflow]).toEqual([name, size, 0]);
      }
      await page.setViewportSize({ width: 1280, height: 800 });
    },
    async close() {
      await browser.close();
      if (ownsControlPlane) await cp.stop();
    },
  };
  return session;
}

/** Signs a new tenant up through the console's own form and waits for the signed-in frame. */
export async function signUpInBrowser(
  page: Page,
  gatewayUrl: string,
  tenant: { organisation: string; email: string; password?: string },
) {
  await page.goto(`${gatewayUrl}/signup`);
  await page.getByRole('heading', { name: 'Create a tenant' }).waitFor();
  await page.getByLabel('Organisation').fill(tenant.organisation);
  await page.getByLabel('Email').fill(tenant.email);
  await page.getByLabel('Password').fill(tenant.password ?? STRONG_PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** Logs in through the console's own form (from wherever the page is) and waits for the signed-in frame. */
export async function logInInBrowser(
  page: Page,
  gatewayUrl: string,
  member: { tenant: string; email: string; password?: string },
) {
  await page.goto(`${gatewayUrl}/login`);
  await page.getByRole('heading', { name: 'Log in to Meshplane' }).waitFor();
  await page.getByLabel('Tenant').fill(member.tenant);
  await page.getByLabel('Email').fill(member.email);
  await page.getByLabel('Password').fill(member.password ?? STRONG_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** Problems a test expects (the refused log-in and conflict it provokes), left out of the final check. */
export function unexpectedProblems(problems: readonly string[], expected: readonly RegExp[]): string[] {
  return problems.filter((problem) => !expected.some((pattern) => pattern.test(problem)));
}
