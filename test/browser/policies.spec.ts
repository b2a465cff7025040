import { eventually, gql, registerAndInstall, STRONG_PASSWORD } from '@meshplane/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MeshAgent, must, startAgent } from '../e2e/mesh-fixtures.js';
import { addMember } from '../e2e/tenants-fixtures.js';
import {
  type ConsoleSession,
  hasChromium,
  logInInBrowser,
  openConsole,
  signUpInBrowser,
  unexpectedProblems,
} from './support.js';

/**
 * The Policies and Recommendations pages in real Chromium against the real stack, with a real
 * simulated agent whose flows are recorded: write a policy with a mistake and see it at its line,
 * fix it, what-if lists the flows it would deny, apply, the rollout shows the cluster applied,
 * edit (diff), history and rollback; a recommendation for a namespace opened in the editor,
 * what-if, created staged; a viewer sees no mutating control and the server refuses one anyway.
 */

const CLUSTER = 'eu-west-1';
const OWNER = { organisation: 'Policies Browser Co', email: 'owner@policies-browser.example' };
const VIEWER_EMAIL = 'viewer@policies-browser.example';

/** db takes ingress from api only: the recorded flows of frontend (and others) to db turn denied. */
const policyYaml = (action: string, order = 100) => `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: db-from-api
  namespace: shop
spec:
  tier: default
  order: ${order}
  selector: app == 'db'
  clusterSelector: geo == 'eu'
  types:
    - Ingress
  ingress:
    - action: ${action}
      source:
        selector: app == 'api'
`;
/** The line of `- action:` in policyYaml. */
const ACTION_LINE = 14;

// biome-ignore lint/suspicious/noExplicitAny: the test reads GraphQL answers loosely
type Loose = any;

/**
 * The slug of the tenant the page is signed in to, read through the page's own session (a string,
 * so that the test's transpiler leaves the browser's async function alone).
 */
const tenantSlug = (page: Page): Promise<string> =>
  page.evaluate(`(async () => {
    const { session } = await (await fetch('/auth/session')).json();
    const answer = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
      body: JSON.stringify({ query: '{ me { tenant { slug } } }' }),
    });
    return (await answer.json()).data.me.tenant.slug;
  })()`);

describe.skipIf(!hasChromium)(
  'the Policies and Recommendations pages in Chromium',
  { timeout: 180_000 },
  () => {
    let session: ConsoleSession;
    let page: Page;
    let gatewayUrl: string;
    let slug: string;
    let token: string;
    let agent: Omit<MeshAgent, 'clusterId'> | undefined;
    let policyUrl: string;
    const expectAccessible = (name: string) => session.expectAccessible(name);
    const screenshot = (name: string) => session.screenshot(name);
    const editor = () => page.getByLabel('Policy (YAML)', { exact: true });
    const problems = () => page.getByRole('list', { name: 'Problems in the policy' });

    beforeAll(async () => {
      session = await openConsole();
      page = session.page;
      gatewayUrl = session.cp.gatewayUrl;
    });

    afterAll(async () => {
      await agent?.kill();
      await session?.close();
    });

    it('signs up and has a connected cluster whose flows are recorded', async () => {
      await signUpInBrowser(page, gatewayUrl, OWNER);
      slug = await tenantSlug(page);
      const login = await gql<{ login: { token: string } }>(
        gatewayUrl,
        'mutation($i: LoginInput!) { login(input: $i) { token } }',
        { i: { tenant: slug, email: OWNER.email, password: STRONG_PASSWORD } },
      );
      token = login.data!.login.token;
      const installed = await registerAndInstall(gatewayUrl, token, { name: CLUSTER, labels: { geo: 'eu' } });
      agent = startAgent(installed, {
        name: CLUSTER,
        driver: 'simulated',
        scenario: 'agent/scenarios/eu-west-1.yaml',
      });
      // Enough recorded flows to db (the scenario sends 5 a second, a quarter of them to db or so).
      await eventually(
        async () => {
          const { flows } = await must<{ flows: { nodes: unknown[] } }>(
            gatewayUrl,
            'query($f: FlowFilter) { flows(filter: $f, first: 10) { nodes { seq } } }',
            { f: { clusterId: installed.clusterId, workload: 'db' } },
            token,
          );
          return flows.nodes.length >= 10 ? true : undefined;
        },
        90_000,
        'flows to db recorded',
      ).catch((error: unknown) => {
        throw new Error(`${String(error)}\nagent log:\n${agent?.logs.join('').slice(-3000)}`);
      });
    });

    it('shows the tiers in order, with no policy yet', async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Policies' }).click();
      await page.getByRole('heading', { name: 'Policies', exact: true }).waitFor();
      await page.getByRole('heading', { name: /^Tier default/ }).waitFor();
      const newTier = page.getByRole('form', { name: 'New tier' });
      const createTier = async (name: string, order: string, defaultAction: string) => {
        await newTier.getByLabel('Tier name').fill(name);
        await newTier.getByLabel('Order').fill(order);
        await newTier.getByLabel('Default action').selectOption(defaultAction);
        await newTier.getByRole('button', { name: 'Create tier' }).click();
        await page.getByRole('heading', { name: new RegExp(`^Tier ${name} `) }).waitFor();
      };
      // Two more tiers, evaluated before the built-in default one, in their order.
      await createTier('security', '100', 'Pass');
      await createTier('scratch', '200', 'Deny');
      const tiers = () => page.getByRole('heading', { level: 2, name: /^Tier / }).allTextContents();
      expect(await tiers()).toEqual([
        'Tier security · order 100 · default Pass',
        'Tier scratch · order 200 · default Deny',
        'Tier default · order 1000000 · default Deny · built in',
      ]);
      // The same name again: the server's conflict, as it said it.
      await newTier.getByLabel('Tier name').fill('security');
      await newTier.getByRole('button', { name: 'Create tier' }).click();
      await expect
        .poll(() => page.getByRole('alert').textContent())
        .toBe('input.name: a tier with this name already exists');
      // An empty tier can be deleted, behind the confirmation.
      await page.getByRole('button', { name: 'Delete tier scratch' }).click();
      await page
        .getByRole('dialog', { name: 'Delete tier scratch?' })
        .getByRole('button', { name: 'Delete' })
        .click();
      await expect
        .poll(tiers)
        .toEqual([
          'Tier security · order 100 · default Pass',
          'Tier default · order 1000000 · default Deny · built in',
        ]);
      await page.getByText('No policies yet.').waitFor();
      await expectAccessible('policies (empty)');
    });

    it('shows a mistake at the line of its field, from the YAML and from the API, and creates nothing', async () => {
      await page.getByRole('link', { name: 'New policy' }).click();
      await page.getByRole('heading', { name: 'New policy' }).waitFor();

      // A YAML error (a key given twice), at its line, before anything is sent.
      await editor().fill(policyYaml('Allow').replace("  selector: app == 'db'", '  tier: again'));
      await page.getByRole('button', { name: 'What-if' }).click();
      await expect.poll(() => problems().textContent()).toBe('Line 9: Map keys must be unique');

      // A wrong action sent to createPolicy: GraphQL's own check of the input names its path.
      await editor().fill(policyYaml('Allw'));
      await page.getByRole('button', { name: 'Apply' }).click();
      await expect
        .poll(() => problems().textContent())
        .toBe(
          `Line ${ACTION_LINE} spec.ingress.0.action: Value "Allw" does not exist in "RuleAction" enum. Did you mean the enum value "Allow"?`,
        );

      // The same sent to what-if (JSON): the policy library's validation names it, at the same line.
      await page.getByRole('button', { name: 'What-if' }).click();
      await expect
        .poll(() => problems().textContent())
        .toBe(`Line ${ACTION_LINE} spec.ingress.0.action: must be one of Allow, Deny, Log, Pass`);
      expect(await page.locator(`.gutter li[data-line="${ACTION_LINE}"]`).getAttribute('class')).toBe('bad');
      expect(await page.locator('.gutter li.bad').count()).toBe(1);
      expect(await editor().getAttribute('aria-invalid')).toBe('true');
      await expectAccessible('policy editor (error)');
      await screenshot('policy-editor');

      const { policies } = await must<{ policies: unknown[] }>(gatewayUrl, '{ policies { id } }', {}, token);
      expect(policies).toEqual([]);
    });

    it('what-if lists the recorded flows whose verdict the fixed policy changes', async () => {
      await editor().fill(policyYaml('Allow'));
      await page.getByLabel('Recorded flows').selectOption({ label: 'last 15 minutes' });
      await page.getByRole('button', { name: 'What-if' }).click();
      const result = page.getByTestId('what-if-result');
      await result.waitFor();
      expect(await problems().count()).toBe(0);
      const summary = (await result.getByRole('status').textContent()) ?? '';
      const [, evaluated, changed, denied, allowed] =
        /(\d+) recorded flows evaluated: (\d+) would change verdict \((\d+) newly denied, (\d+) newly allowed\)/.exec(
          summary,
        ) ?? [];
      expect(Number(evaluated), summary).toBeGreaterThan(0);
      expect(Number(denied), summary).toBeGreaterThan(0);
      expect(Number(allowed)).toBe(0);
      expect(Number(changed)).toBe(Number(denied));
      const rows = result.getByRole('row');
      expect(await rows.count()).toBe(Math.min(Number(changed), 100) + 1);
      for (const row of (await rows.all()).slice(1, 6)) {
        const cells = await row.getByRole('cell').allTextContents();
        expect(cells[1]).not.toMatch(/\/shop\/api$/); // the api may still reach db
        expect(cells[2]).toMatch(new RegExp(`^${CLUSTER}/shop/db`));
        expect(cells.slice(3, 5)).toEqual(['ALLOW', 'DENY']);
      }
      await expectAccessible('policy editor (what-if)');
    });

    it('applies it, and the rollout shows the cluster applied, live', async () => {
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.getByRole('heading', { name: 'shop/db-from-api' }).waitFor();
      policyUrl = page.url();
      const rollout = page.getByTestId('policy-rollout');
      await rollout.getByRole('heading', { name: /Rollout of v1/ }).waitFor();
      // No reload: the page reads the rollout every 3 s. On a loaded machine (both cores busy with
      // other suites' processes) compile, push and acknowledgement can take a while; when it never
      // comes, what the API and the agent said is in the failure.
      await rollout
        .getByRole('row', { name: new RegExp(`${CLUSTER}.*APPLIED`) })
        .waitFor({ timeout: 60_000 })
        .catch(async (error: unknown) => {
          const state = await must<Loose>(
            gatewayUrl,
            '{ clusters { name config { desiredVersion appliedVersion state errors { message } } } }',
            {},
            token,
          ).catch((failure: unknown) => String(failure));
          throw new Error(
            `${String(error)}\nrollout panel: ${await rollout.textContent()}\n` +
              `clusters: ${JSON.stringify(state)}\nagent log:\n${agent?.logs.join('').slice(-3000)}`,
          );
        });
      await rollout.getByRole('heading', { name: /Rollout of v1 APPLIED/ }).waitFor();
      await page.getByRole('row', { name: /v1 Created/ }).waitFor();
    });

    it('shows the edit against the current version, records v2, and rolls back to v1', async () => {
      await editor().fill(policyYaml('Allow', 50));
      const diff = page.getByTestId('policy-diff');
      await expect.poll(() => diff.textContent()).toMatch(/- {3}order: 100\n\+ {3}order: 50/);
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.getByRole('row', { name: /v2 Updated/ }).waitFor();
      await page.getByRole('heading', { name: /Rollout of v2/ }).waitFor();

      await page.getByRole('button', { name: 'Changes in v2' }).click();
      const versionDiff = page.getByTestId('version-diff');
      await expect.poll(() => versionDiff.textContent()).toMatch(/Replace \/spec\/order from 100 to 50/);

      await page.getByRole('button', { name: 'Roll back to v1' }).click();
      const dialog = page.getByRole('dialog', { name: 'Roll shop/db-from-api back to v1?' });
      await dialog.getByRole('button', { name: 'Roll back' }).click();
      await page.getByRole('row', { name: /v3 RolledBack \(to v1\)/ }).waitFor();
      const rollout = page.getByTestId('policy-rollout');
      await rollout.getByRole('heading', { name: /Rollout of v3 APPLIED/ }).waitFor({ timeout: 30_000 });
      const { policy } = await must<{ policy: Loose }>(
        gatewayUrl,
        'query($id: ID!) { policy(id: $id) { version spec { order } } }',
        { id: new URL(policyUrl).searchParams.get('id') },
        token,
      );
      expect(policy).toEqual({ version: 3, spec: { order: 100 } });
      expect(await editor().inputValue()).toContain('order: 100');
    });

    it('lists the policy on the board in its tier', async () => {
      await page.getByRole('link', { name: '← Policies' }).click();
      const tier = page.getByRole('list', { name: 'Policies of tier default, in order' });
      await tier.getByRole('link', { name: 'shop/db-from-api' }).waitFor();
      await expectAccessible('policies');
    });

    it('recommends a staged policy for a namespace, opens it in the editor, what-if, creates it staged, enforces it, deletes it', async () => {
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Recommendations' })
        .click();
      await page.getByRole('heading', { name: 'Recommendations', exact: true }).waitFor();
      await expect.poll(() => page.getByLabel('Cluster').inputValue()).not.toBe('');
      const recommendation = page.getByTestId('recommendation');

      // The workloads of the first namespace (payments) answer late, after those of shop chosen
      // meanwhile: the late list must neither replace shop's nor reset the workload chosen from it.
      const forPayments = (body: Loose) =>
        /query NamespaceWorkloads/.test(body?.query) && body.variables.filter.namespace === 'payments';
      await page.route('**/graphql', async (route) => {
        if (forPayments(route.request().postDataJSON())) {
          await new Promise((resolve) => setTimeout(resolve, 2_000));
        }
        await route.continue();
      });
      const lateAnswer = page.waitForResponse((response) => forPayments(response.request().postDataJSON()));
      await page.goto(`${gatewayUrl}/recommendations`);
      await expect.poll(() => page.getByLabel('Namespace').inputValue()).toBe('payments');
      await page.getByLabel('Namespace').selectOption('shop');
      // One workload of it: its pods selected by their labels, only its ingress learnt.
      await page
        .getByLabel('Workload')
        .getByRole('option', { name: 'db', exact: true })
        .waitFor({ state: 'attached' });
      await page.getByLabel('Workload').selectOption('db');
      await lateAnswer;
      await page.unroute('**/graphql');
      // The page has had the late answer for a while (a reset would take a few milliseconds).
      await page.waitForTimeout(500);
      expect(await page.getByLabel('Workload').inputValue()).toBe('db');
      await page.getByRole('button', { name: 'Recommend' }).click();
      await recommendation.getByRole('heading', { name: /Recommended policy/ }).waitFor();
      const forDb = (await recommendation.getByLabel('Recommended policy (YAML)').inputValue()) ?? '';
      expect(forDb).toMatch(/\n {2}name: recommended-eu-west-1-db\n/);
      expect(forDb).toMatch(/\n {2}selector: app == "db" && tier == "data"\n/);

      // The whole namespace.
      await page.getByLabel('Workload').selectOption({ label: 'Whole namespace' });
      await page.getByRole('button', { name: 'Recommend' }).click();
      await expect
        .poll(() => recommendation.getByLabel('Recommended policy (YAML)').inputValue())
        .toMatch(/\n {2}name: recommended-eu-west-1\n[\s\S]*\n {2}selector: all\(\)\n/);
      await recommendation.getByRole('heading', { name: /Recommended policy/ }).waitFor();
      expect(await recommendation.getByRole('status').textContent()).toMatch(
        /^\d+ ingress rules for \d+ kinds/,
      );
      expect(await recommendation.getByLabel('Recommended policy (YAML)').inputValue()).toMatch(
        /kind: StagedNetworkPolicy[\s\S]*namespace: shop/,
      );
      await expectAccessible('recommendations');
      await screenshot('recommendations');

      await recommendation.getByRole('button', { name: 'Open in editor' }).click();
      expect(await editor().inputValue()).toMatch(
        /^apiVersion: projectcalico.org\/v3\nkind: StagedNetworkPolicy/,
      );
      const name = /\n {2}name: (\S+)/.exec(await editor().inputValue())?.[1];
      await page.getByRole('button', { name: 'What-if' }).click();
      await page.getByTestId('what-if-result').getByRole('status').waitFor();
      expect(await page.getByTestId('what-if-result').getByRole('status').textContent()).toMatch(
        /^\d+ recorded flows evaluated/,
      );
      await expectAccessible('recommendations (editor)');
      await page.getByRole('button', { name: 'Stage' }).click();
      await page.getByRole('heading', { name: `shop/${name}` }).waitFor();
      await page.getByRole('main').getByText('Staged', { exact: true }).first().waitFor();
      await page.getByRole('button', { name: 'Enforce' }).waitFor();

      await page.getByRole('link', { name: '← Policies' }).click();
      const tier = page.getByRole('list', { name: 'Policies of tier default, in order' });
      await tier
        .getByRole('listitem')
        .filter({ hasText: `shop/${name}` })
        .getByText('Staged')
        .waitFor();
      expect(
        await tier.getByRole('listitem').filter({ hasText: 'shop/db-from-api' }).getByText('Staged').count(),
      ).toBe(0);
      await screenshot('policies');

      // Enforcing it (behind the confirmation) writes v2, no longer staged.
      await tier.getByRole('link', { name: `shop/${name}` }).click();
      await page.getByRole('button', { name: 'Enforce' }).click();
      await page
        .getByRole('dialog', { name: `Enforce shop/${name}?` })
        .getByRole('button', { name: 'Enforce' })
        .click();
      await page.getByRole('row', { name: /v2 Updated/ }).waitFor();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).not.toContain('Staged');
      expect(await page.getByRole('button', { name: 'Enforce' }).count()).toBe(0);

      // Deleting it (behind the confirmation) takes it off the board.
      await page.getByRole('button', { name: 'Delete' }).click();
      await page
        .getByRole('dialog', { name: `Delete shop/${name}?` })
        .getByRole('button', { name: 'Delete' })
        .click();
      await page.getByRole('heading', { name: 'Policies', exact: true }).waitFor();
      await tier.getByRole('link', { name: 'shop/db-from-api' }).waitFor();
      expect(await tier.getByRole('link', { name: `shop/${name}` }).count()).toBe(0);
    });

    it('shows a viewer no mutating control, and the server refuses the viewer’s createPolicy', async () => {
      const viewerToken = (await addMember(gatewayUrl, { owner: { token } }, 'viewer', VIEWER_EMAIL)).token;

      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByRole('heading', { name: 'Log in to Meshplane' }).waitFor();
      await logInInBrowser(page, gatewayUrl, { tenant: slug, email: VIEWER_EMAIL });
      await page.getByText(`${VIEWER_EMAIL} · ${OWNER.organisation} (viewer)`).waitFor();

      await page.goto(`${gatewayUrl}/policies`);
      await page.getByRole('link', { name: 'shop/db-from-api' }).waitFor();
      expect(await page.getByRole('link', { name: 'New policy' }).count()).toBe(0);
      expect(await page.getByRole('form', { name: 'New tier' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: /^Delete tier/ }).count()).toBe(0);
      await page.getByRole('heading', { name: /^Tier security/ }).waitFor();
      await page.getByRole('link', { name: 'shop/db-from-api' }).click();
      await page.getByRole('heading', { name: 'History' }).waitFor();
      await page.getByRole('row', { name: /v3 RolledBack/ }).waitFor();
      const readOnly = page.getByLabel('Policy (YAML, read-only)');
      expect(await readOnly.getAttribute('readonly')).toBe('');
      for (const control of [
        'Apply',
        'Stage',
        'What-if',
        'Delete',
        'Enforce',
        'Roll back to v1',
        'Roll back to v2',
      ])
        expect([control, await page.getByRole('button', { name: control, exact: true }).count()]).toEqual([
          control,
          0,
        ]);
      await page
        .getByTestId('policy-rollout')
        .getByRole('heading', { name: /Rollout of v3 APPLIED/ })
        .waitFor();
      await expectAccessible('policy (viewer)');

      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Recommendations' })
        .click();
      await page.getByRole('button', { name: 'Recommend' }).click();
      await page
        .getByTestId('recommendation')
        .getByRole('heading', { name: /Recommended policy/ })
        .waitFor();
      expect(await page.getByRole('button', { name: 'Open in editor' }).count()).toBe(0);

      // The server refuses anyway.
      const refused = await gql<Loose>(
        gatewayUrl,
        'mutation($i: CreatePolicyInput!) { createPolicy(input: $i) { policyId } }',
        { i: { kind: 'NetworkPolicy', name: 'viewer-try', namespace: 'shop', spec: { selector: 'all()' } } },
        viewerToken,
      );
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const rollback = await gql<Loose>(
        gatewayUrl,
        'mutation($id: ID!) { rollbackPolicy(id: $id, version: 2) { policyId } }',
        { id: new URL(policyUrl).searchParams.get('id') },
        viewerToken,
      );
      expect(rollback.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(unexpectedProblems(session.problems, [/400/, /401/])).toEqual([]);
    });
  },
);
