import { readFileSync } from 'node:fs';
import { gql, registerAndInstall } from '@meshplane/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MeshAgent, startAgent } from '../e2e/mesh-fixtures.js';
import {
  type ConsoleSession,
  hasChromium,
  openConsole,
  signUpInBrowser,
  unexpectedProblems,
} from './support.js';

/**
 * The Access and Compliance pages in real Chromium against the real stack: the owner invites a
 * viewer, who accepts the invitation link in another browser and lands signed in; the viewer sees
 * no mutating control and the server refuses the viewer's mutations anyway; the owner changes the
 * role, creates an API token (its secret shown once, working as a Bearer token), revokes it, reads
 * the audit log (filters, cursor pages) and removes the member; then compliance zones, the zone
 * report and its CSV, and WireGuard settings with the pair matrix of two connected clusters.
 */

const OWNER = 'owner@access-test.example';
const INVITEE = 'viewer@access-test.example';
const INVITEE_PASSWORD = 'Another-Strong-Pass-77';
const CLUSTERS = [
  { name: 'access-eu-1', labels: { geo: 'eu' }, scenario: 'agent/scenarios/eu-west-1.yaml' },
  { name: 'access-us-1', labels: { geo: 'us' }, scenario: 'agent/scenarios/us-east-1.yaml' },
];

/** expect.poll with room for a loaded machine (2 cores shared with the stack and Chromium). */
function poll<T>(read: () => T | Promise<T>, options: { timeout?: number } = {}) {
  return expect.poll(read, { timeout: 15_000, ...options });
}

interface GraphQLAnswer {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
}

/**
 * Runs `script` (an async function body) in the page. As a string, so the test's compiler leaves
 * it untouched (transpiled helpers do not exist in the page).
 */
function inBrowser<T>(page: Page, script: string): Promise<T> {
  return page.evaluate(`(async () => { ${script} })()`) as Promise<T>;
}

/** A GraphQL call from inside the page, with its cookie session and CSRF token (as the console sends). */
function inPage(page: Page, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLAnswer> {
  return inBrowser(
    page,
    `const session = await (await fetch('/auth/session')).json();
     const response = await fetch('/graphql', {
       method: 'POST',
       headers: { 'content-type': 'application/json', 'x-csrf-token': session.session.csrfToken },
       body: JSON.stringify({ query: ${JSON.stringify(query)}, variables: ${JSON.stringify(variables)} }),
     });
     return { status: response.status, body: await response.json() };`,
  );
}

describe.skipIf(!hasChromium)('the Access and Compliance pages in Chromium', { timeout: 180_000 }, () => {
  let owner: ConsoleSession;
  let invitee: ConsoleSession;
  let page: Page;
  let invitationLink: string;
  const agents: Omit<MeshAgent, 'clusterId'>[] = [];

  beforeAll(async () => {
    owner = await openConsole();
    page = owner.page;
  });

  afterAll(async () => {
    for (const agent of agents) await agent.kill();
    await invitee?.close();
    await owner?.close();
  });

  it('the owner invites a viewer; the invitation shows as pending, with its link once', async () => {
    await signUpInBrowser(page, owner.cp.gatewayUrl, { organisation: 'Access Test Co', email: OWNER });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Access' }).click();
    await page.getByRole('heading', { name: 'Access', exact: true }).waitFor();
    const members = page.getByRole('table', { name: /Members/ });
    await members
      .getByRole('row', { name: new RegExp(OWNER) })
      .getByText('Active')
      .waitFor();

    await page.getByRole('form', { name: 'Invite a member' }).getByLabel('Email').fill(INVITEE);
    await page.getByRole('form', { name: 'Invite a member' }).getByLabel('Role').selectOption('viewer');
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    const link = page.getByTestId('invitation-link');
    await link.waitFor();
    invitationLink = (await link.textContent()) ?? '';
    // The form starts empty again for the next invitation.
    expect(await page.getByRole('form', { name: 'Invite a member' }).getByLabel('Email').inputValue()).toBe(
      '',
    );
    expect(invitationLink).toMatch(new RegExp(`^${owner.cp.gatewayUrl}/invitation#token=mpv_`));
    await page.getByRole('button', { name: `Copy the invitation link for ${INVITEE}` }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(invitationLink);
    const row = members.getByRole('row', { name: new RegExp(INVITEE) });
    await row.getByText('Invitation pending').waitFor();
    expect(await row.getByRole('cell').first().textContent()).toBe('viewer');

    // Inviting the same email again: the server's conflict, as it said it.
    await page.getByRole('form', { name: 'Invite a member' }).getByLabel('Email').fill(INVITEE);
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    await poll(() => page.getByRole('alert').first().textContent()).toMatch(/already|exists/i);
    await owner.expectAccessible('access (invited)');
  });

  it('the invitee opens the link in another browser, chooses a password and lands signed in as viewer', async () => {
    invitee = await openConsole({ cp: owner.cp });
    const other = invitee.page;
    await other.goto(invitationLink);
    await other.getByRole('heading', { name: 'Accept your invitation' }).waitFor();
    expect(new URL(other.url()).pathname).toBe('/invitation');
    await invitee.expectAccessible('invitation');
    await invitee.screenshot('invitation');

    await other.getByLabel('Password').fill('short');
    await other.getByRole('button', { name: 'Accept and sign in' }).click();
    await poll(() => other.getByRole('alert').textContent()).toMatch(
      /^password must be 12 to 256 characters/,
    );

    await other.getByLabel('Password').fill(INVITEE_PASSWORD);
    await other.getByRole('button', { name: 'Accept and sign in' }).click();
    await other.getByRole('navigation', { name: 'Main' }).waitFor();
    await other.getByText(`${INVITEE} · Access Test Co (viewer)`).waitFor();
    // The token left the address bar; the session is in httpOnly cookies only.
    expect(new URL(other.url()).hash).toBe('');
    expect(await other.evaluate(() => document.cookie)).toBe('');

    // A reload keeps the session; the link does not work twice.
    await other.reload();
    await other.getByText(`${INVITEE} · Access Test Co (viewer)`).waitFor();
    const token = new URLSearchParams(new URL(invitationLink).hash.slice(1)).get('token');
    const again = await inBrowser<number>(
      other,
      `const response = await fetch('/auth/accept-invitation', {
         method: 'POST',
         headers: { 'content-type': 'application/json' },
         body: JSON.stringify({ token: ${JSON.stringify(token)}, password: 'Yet-Another-Pass-99' }),
       });
       return response.status;`,
    );
    expect(again).toBe(401);
  });

  it("shows the viewer no mutating control on Access or Compliance, and the server refuses the viewer's mutations", async () => {
    const other = invitee.page;
    await other.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Access' }).click();
    await other.getByRole('heading', { name: 'Access', exact: true }).waitFor();
    await other
      .getByRole('table', { name: /Members/ })
      .getByRole('row', { name: new RegExp(OWNER) })
      .waitFor();
    await other.getByText('Admins and owners manage members').waitFor();
    for (const name of ['Invite', 'Change role', 'Create token', /^Remove/, /^Revoke/]) {
      expect([String(name), await other.getByRole('button', { name }).count()]).toEqual([String(name), 0]);
    }
    expect(await other.getByRole('heading', { name: 'API tokens' }).count()).toBe(0);
    expect(await other.getByRole('heading', { name: 'Audit log' }).count()).toBe(0);
    await invitee.expectAccessible('access (viewer)');

    await other.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Compliance' }).click();
    await other.getByRole('heading', { name: 'Compliance and encryption' }).waitFor();
    await other.getByText('No compliance zones yet.').waitFor();
    await other.getByRole('group', { name: 'Mesh-wide' }).waitFor();
    expect(await other.getByRole('form', { name: 'Create a compliance zone' }).count()).toBe(0);
    expect(await other.getByRole('button', { name: 'Save encryption' }).count()).toBe(0);
    expect(await other.getByLabel('WireGuard for IPv4 traffic').isDisabled()).toBe(true);
    await invitee.expectAccessible('compliance (viewer)');

    // The server refuses anyway, with the viewer's own cookie session.
    const refused = {
      inviteMember:
        'mutation { inviteMember(input: { email: "x@access-test.example", role: viewer }) { expiresAt } }',
      createApiToken: `mutation { createApiToken(input: { name: "x", role: viewer, expiresAt: "${new Date(Date.now() + 86_400_000).toISOString()}" }) { secret } }`,
      createComplianceZone:
        'mutation { createComplianceZone(input: { name: "sneaky", clusterSelector: "all()" }) { zoneId } }',
      setEncryption: 'mutation { setEncryption(input: { wireguardEnabled: true }) { changeId } }',
    };
    for (const [field, mutation] of Object.entries(refused)) {
      const answer = await inPage(other, mutation);
      expect([field, answer.body.data?.[field] ?? null, answer.body.errors?.[0]?.extensions?.code]).toEqual([
        field,
        null,
        'FORBIDDEN',
      ]);
    }
    const zones = await inPage(other, '{ complianceZones { name } }');
    expect(zones.body.data?.complianceZones).toEqual([]);
  });

  it('the owner sees the invitee active and changes their role to editor', async () => {
    await page.reload();
    const row = page.getByRole('table', { name: /Members/ }).getByRole('row', { name: new RegExp(INVITEE) });
    await row.getByText('Active').waitFor();
    await row.getByLabel(`Role of ${INVITEE}`).selectOption('editor');
    await row.getByRole('button', { name: 'Change role' }).click();
    await poll(() => row.getByRole('cell').first().textContent()).toBe('editor');
    const members = await inPage(page, '{ members { email role } }');
    expect(members.body.data?.members).toContainEqual({ email: INVITEE, role: 'editor' });

    // The invitee's next load acts as editor: zone and encryption controls, still no admin ones.
    const other = invitee.page;
    await other.reload();
    await other.getByText(`${INVITEE} · Access Test Co (editor)`).waitFor();
    await other.getByRole('form', { name: 'Create a compliance zone' }).waitFor();
    await other.getByRole('button', { name: 'Save encryption' }).waitFor();
    await other.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Access' }).click();
    await other.getByText('Admins and owners manage members').waitFor();
    expect(await other.getByRole('form', { name: 'Invite a member' }).count()).toBe(0);
    expect(await other.getByRole('button', { name: 'Change role' }).count()).toBe(0);
    const invite = await inPage(
      other,
      'mutation { inviteMember(input: { email: "y@access-test.example", role: viewer }) { expiresAt } }',
    );
    expect(invite.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('creates an API token whose secret is shown once, works as a Bearer token, and is refused once revoked', async () => {
    const form = page.getByRole('form', { name: 'Create an API token' });
    await form.getByLabel('Token name').fill('ci-pipeline');
    await form.getByLabel('Token role').selectOption('editor');
    await form.getByRole('button', { name: 'Create token' }).click();
    const secretBox = page.getByTestId('token-secret');
    await secretBox.waitFor();
    const secret = (await secretBox.textContent()) ?? '';
    expect(secret.length).toBeGreaterThan(20);
    await page.getByRole('button', { name: 'Copy the secret of ci-pipeline' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    const tokens = page.getByRole('table', { name: 'API tokens' });
    await tokens
      .getByRole('row', { name: /ci-pipeline/ })
      .getByText('Active')
      .waitFor();

    // The secret is a working Bearer token with the role it was given.
    const me = await gql<{ me: { role: string; viaApiToken: boolean } }>(
      owner.cp.gatewayUrl,
      '{ me { role viaApiToken } }',
      {},
      secret,
    );
    expect(me.data?.me).toEqual({ role: 'editor', viaApiToken: true });
    // With it, automation registers the two clusters the Compliance page shows, and their agents start.
    for (const cluster of CLUSTERS) {
      const installed = await registerAndInstall(owner.cp.gatewayUrl, secret, cluster);
      agents.push(
        startAgent(installed, { name: cluster.name, driver: 'simulated', scenario: cluster.scenario }),
      );
    }
    // Failed mutations are audited too: enough of them for a second page of the audit log.
    for (let i = 0; i < 26; i += 1) {
      const missing = await gql(
        owner.cp.gatewayUrl,
        'mutation { deleteComplianceZone(id: "00000000-0000-4000-8000-000000000000") { zoneId } }',
        {},
        secret,
      );
      expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }

    // Never shown again: after a reload the page has no secret, only the token's row.
    await page.reload();
    await tokens.getByRole('row', { name: /ci-pipeline/ }).waitFor();
    expect(await page.getByTestId('token-secret').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);

    await page.getByRole('button', { name: 'Revoke the token ci-pipeline' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke the token ci-pipeline?' });
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await tokens
      .getByRole('row', { name: /ci-pipeline/ })
      .getByText('Revoked')
      .waitFor();
    const refused = await gql(owner.cp.gatewayUrl, '{ me { role } }', {}, secret);
    expect(refused.status).toBe(401);
  });

  it('lists those events in the audit log, filterable, a page at a time', async () => {
    // The log is written beside the mutation's answer: wait until the last one is in, then refresh.
    await poll(async () => {
      const answer = await inPage(page, '{ auditEvents(first: 1) { nodes { operation } } }');
      const page1 = answer.body.data?.auditEvents as { nodes: { operation: string }[] } | undefined;
      return page1?.nodes[0]?.operation;
    }).toBe('revokeApiToken');
    const audit = page.getByRole('region', { name: 'Audit log' });
    await audit.getByRole('button', { name: 'Refresh' }).click();
    const table = page.getByTestId('audit-log');
    const operations = async () =>
      (await table.locator('tbody th').allTextContents()).map((text) => text.split(' ')[0]);
    // Newest first, 25 a page: the 26 failed deletions fill the first page and spill onto the next.
    await poll(async () => (await operations())[0]).toBe('revokeApiToken');
    expect(await operations()).toEqual(['revokeApiToken', ...Array(24).fill('deleteComplianceZone')]);
    await audit.getByRole('button', { name: 'Show more' }).click();
    await poll(async () => (await operations()).length).toBeGreaterThan(25);
    const all = await operations();
    for (const operation of [
      'deleteComplianceZone',
      'registerCluster',
      'createApiToken',
      'updateMemberRole',
      'acceptInvitation',
      'inviteMember',
      'signUp',
    ]) {
      expect([operation, all.includes(operation)]).toEqual([operation, true]);
    }
    expect(all.filter((operation) => operation === 'deleteComplianceZone')).toHaveLength(26);

    // Filters: one mutation; then failures only (the refused and missing ones).
    await audit.getByLabel('Mutation').fill('updateMemberRole');
    await audit.getByRole('button', { name: 'Apply filters' }).click();
    await poll(operations).toEqual(['updateMemberRole']);
    const row = table.locator('tbody tr').first();
    expect(await row.textContent()).toContain(OWNER);

    await audit.getByLabel('Mutation').fill('');
    await audit.getByLabel('Outcome').selectOption('error');
    await audit.getByLabel('Member').selectOption({ label: INVITEE });
    await audit.getByRole('button', { name: 'Apply filters' }).click();
    // The invitee's refused mutations: four as viewer, one as editor (the Bearer token's failures
    // were the owner's token, so they are not the invitee's).
    await poll(async () => (await operations()).sort()).toEqual([
      'createApiToken',
      'createComplianceZone',
      'inviteMember',
      'inviteMember',
      'setEncryption',
    ]);
    expect(await audit.getByRole('button', { name: 'Show more' }).count()).toBe(0);
    await owner.expectAccessible('access (owner)');
    await owner.screenshot('access');
  });

  it('removes a member only after the confirmation, and their session stops working at once', async () => {
    const members = page.getByRole('table', { name: /Members/ });
    await page.getByRole('button', { name: `Remove ${INVITEE}` }).click();
    const dialog = page.getByRole('dialog', { name: `Remove ${INVITEE}?` });
    await dialog.waitFor();
    await owner.expectAccessible('remove member dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await members.getByRole('row', { name: new RegExp(INVITEE) }).waitFor();

    await page.getByRole('button', { name: `Remove ${INVITEE}` }).click();
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await poll(() => members.getByRole('row', { name: new RegExp(INVITEE) }).count()).toBe(0);
    // The removed member's cookie session is refused on its next request.
    expect(await inBrowser<number>(invitee.page, "return (await fetch('/auth/session')).status;")).toBe(401);
  });

  it('creates, edits and deletes compliance zones; the report renders and its CSV downloads as the API gave it', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Compliance' }).click();
    await page.getByRole('heading', { name: 'Compliance and encryption' }).waitFor();
    await page.getByText('No compliance zones yet.').waitFor();
    await page.getByText('Create a zone to see its report.').waitFor();

    const form = page.getByRole('form', { name: 'Create a compliance zone' });
    for (const [name, selector] of [
      ['eu', "geo == 'eu'"],
      ['scratch', "geo == 'nowhere'"],
    ] as const) {
      await form.getByLabel('Zone name').fill(name);
      await form.getByLabel('Cluster selector').fill(selector);
      await form.getByRole('button', { name: 'Create zone' }).click();
      await page
        .getByRole('table', { name: 'Compliance zones' })
        .getByRole('row', { name: new RegExp(`^${name} `) })
        .waitFor();
      expect(await form.getByLabel('Zone name').inputValue()).toBe('');
    }
    // A bad selector: the server's message, naming the field.
    await form.getByLabel('Zone name').fill('broken');
    await form.getByLabel('Cluster selector').fill('geo ==');
    await form.getByRole('button', { name: 'Create zone' }).click();
    await poll(() => page.getByRole('alert').first().textContent()).toMatch(
      /^input\.clusterSelector: invalid selector: expected a quoted string/,
    );
    expect(await page.getByRole('alert').first().textContent()).not.toMatch(
      /clusterSelector:.*clusterSelector:/,
    );

    const zones = page.getByRole('table', { name: 'Compliance zones' });
    await page.getByRole('button', { name: 'Edit the zone scratch' }).click();
    await page.getByLabel('Cluster selector of scratch').fill("geo == 'us'");
    await page.getByLabel('Allowed zones of scratch').fill('eu');
    await page
      .getByRole('form', { name: 'Edit the zone scratch' })
      .getByRole('button', { name: 'Save' })
      .click();
    await zones
      .getByRole('row', { name: /^scratch / })
      .getByText("geo == 'us'")
      .waitFor();
    expect(await zones.getByRole('row', { name: /^scratch / }).textContent()).toContain('eu');

    await page.getByRole('button', { name: 'Delete the zone scratch' }).click();
    await page
      .getByRole('dialog', { name: 'Delete the zone scratch?' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await poll(() => zones.getByRole('row', { name: /^scratch / }).count()).toBe(0);

    // The report of 'eu' (the first zone) renders; the CSV downloaded is the report's, byte for byte.
    const sevenDays = 7 * 86_400_000;
    const answered = page.waitForResponse((response) => {
      const body = response.request().postData() ?? '';
      if (!response.url().endsWith('/graphql') || !body.includes('ComplianceReport')) return false;
      const { from, to } = JSON.parse(body).variables as { from: string; to: string };
      return Date.parse(to) - Date.parse(from) === sevenDays;
    });
    await page.getByLabel('Window').selectOption({ label: 'Last 7 days' });
    const reportAnswer = (await (await answered).json()) as {
      data: { complianceReport: { csv: string; to: string } };
    };
    const report = page.getByTestId('compliance-report');
    await poll(() => report.textContent()).toMatch(/^eu: \d+ violations?, \d+ blocked attempts?/);
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^compliance-eu-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toBe(reportAnswer.data.complianceReport.csv);
    expect(csv.split('\n')[0]).toMatch(/,/);

    // "Run again" asks for the report anew, its window ending now.
    const rerun = page.waitForResponse((response) =>
      (response.request().postData() ?? '').includes('ComplianceReport'),
    );
    await page.getByRole('button', { name: 'Run again' }).click();
    const { to } = JSON.parse((await rerun).request().postData() ?? '{}').variables as { to: string };
    expect(Date.parse(to)).toBeGreaterThan(Date.parse(reportAnswer.data.complianceReport.to));
  });

  it('switches WireGuard on mesh-wide and shows the pair matrix of the connected clusters', async () => {
    const matrix = page.getByTestId('encryption-matrix');
    // Both clusters appear once their agents have reported (the page reads again every 10 s).
    await poll(async () => (await matrix.locator('thead th').allTextContents()).sort(), {
      timeout: 90_000,
    }).toEqual(CLUSTERS.map((c) => c.name).sort());
    const ipv4 = page.getByLabel('WireGuard for IPv4 traffic');
    expect(await ipv4.isChecked()).toBe(false);
    await ipv4.check();
    await page.getByRole('button', { name: 'Save encryption' }).click();
    await page.getByText(/^Changed /).waitFor();
    const settings = await inPage(page, '{ encryptionSettings { clusterId wireguardEnabled } }');
    expect(settings.body.data?.encryptionSettings).toContainEqual({
      clusterId: null,
      wireguardEnabled: true,
    });

    // eu-west-1's simulated nodes carry WireGuard keys; us-east-1's do not, so their pair is not encrypted.
    const euRow = matrix
      .locator('tbody tr')
      .filter({ has: page.getByRole('rowheader', { name: CLUSTERS[0]!.name }) });
    await poll(() => euRow.locator('td').nth(1).textContent(), { timeout: 30_000 }).toMatch(
      /^Not encrypted .*access-us-1: nodes without a WireGuard key/,
    );
    await owner.expectAccessible('compliance');
    await owner.screenshot('compliance');
    expect(unexpectedProblems(owner.problems, [/40[0139]/])).toEqual([]);
    expect(unexpectedProblems(invitee.problems, [/40[0139]/])).toEqual([]);
  });
});
