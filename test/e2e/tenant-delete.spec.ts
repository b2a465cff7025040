/**
 * Deleting a tenant end to end: the owner's `deleteTenant` ends every session and API token at
 * once, the tenant's agents remove what Meshplane applied and stop, and every row of the tenant in
 * every schema goes but the append-only audit log, which ends with the deletion; another tenant
 * keeps everything.
 */
import { type ControlPlane, gql, startControlPlane } from '@meshplane/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, installAgent, type MeshAgent, must } from './mesh-fixtures.js';
import { addTierAndPolicy, addZone } from './policies-fixtures.js';
import { addApiToken, addMember, type Member, newTenant, type TenantFixture } from './tenants-fixtures.js';

const DELETE = 'mutation($input: DeleteTenantInput!) { deleteTenant(input: $input) { tenantId deletedAt } }';
const SCHEMAS = ['tenants', 'clusters', 'policies', 'telemetry'];
const STABLE_TABLES = [
  'tenants.tenants',
  'tenants.users',
  'tenants.api_tokens',
  'clusters.clusters',
  'policies.tiers',
  'policies.policies',
  'policies.compliance_zones',
];

interface Tenant {
  fixture: TenantFixture;
  admin: Member;
  apiToken: string;
  agent: MeshAgent;
}

describe('deleting a tenant', () => {
  let cp: ControlPlane;
  let db: pg.Client;
  let doomed: Tenant;
  let bystander: Tenant;

  /** Rows of the tenant in every table of every schema, by table (`tenants.tenants` by its id). */
  async function rowsOf(tenantId: string): Promise<Record<string, number>> {
    const { rows: tables } = await db.query<{ schema: string; table: string; column: string }>(
      `SELECT table_schema AS schema, table_name AS table, column_name AS column
         FROM information_schema.columns
        WHERE table_schema = ANY($1) AND (column_name = 'tenant_id' OR (table_name = 'tenants' AND column_name = 'id'))
          AND table_name NOT LIKE 'flows_p%'
        ORDER BY 1, 2`,
      [SCHEMAS],
    );
    const counts: Record<string, number> = {};
    for (const { schema, table, column } of tables) {
      const { rows } = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM "${schema}"."${table}" WHERE "${column}" = $1`,
        [tenantId],
      );
      counts[`${schema}.${table}`] = Number(rows[0]!.n);
    }
    return counts;
  }

  async function setUp(name: string): Promise<Tenant> {
    const fixture = await newTenant(cp.gatewayUrl, name);
    const admin = await addMember(cp.gatewayUrl, fixture, 'admin');
    const apiToken = (await addApiToken(cp.gatewayUrl, fixture.owner, 'viewer')).secret;
    await addTierAndPolicy(cp.gatewayUrl, fixture.owner.token);
    await addZone(cp.gatewayUrl, fixture.owner.token);
    const agent = await installAgent(cp, fixture.owner.token, {
      name: `${name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .slice(0, 40)}-1`,
      labels: { geo: 'eu' },
      driver: 'simulated',
      scenario: 'agent/scenarios/eu-west-1.yaml',
    });
    return { fixture, admin, apiToken, agent };
  }

  beforeAll(async () => {
    // info: each service's purge passes are read from its log.
    cp = await startControlPlane({ TENANT_PURGE_FINAL_SWEEP_MS: '1000', LOG_LEVEL: 'info' });
    db = new pg.Client({ connectionString: cp.databaseUrl });
    await db.connect();
    doomed = await setUp(`Doomed ${process.pid}`);
    bystander = await setUp(`Bystander ${process.pid}`);
    // Both tenants have data everywhere: config applied, flows stored.
    for (const tenant of [doomed, bystander]) {
      await eventually(
        async () => {
          const counts = await rowsOf(tenant.fixture.tenantId);
          return counts['telemetry.flows']! > 0 && counts['policies.cluster_configs']! > 0
            ? counts
            : undefined;
        },
        60_000,
        'flows stored and a config compiled',
      );
    }
  }, 180_000);

  afterAll(async () => {
    // Errors the control plane logged, to read beside a failure.
    const errors = (cp?.logs ?? []).filter((line) => line.includes('"level":50'));
    if (errors.length > 0) console.warn(errors.slice(-10).join('\n').slice(-6000));
    await Promise.all([doomed?.agent.kill(), bystander?.agent.kill()]);
    await db?.end();
    await cp?.stop();
  });

  it('refuses a wrong confirmation and anyone but an owner, and changes nothing', async () => {
    const before = await rowsOf(doomed.fixture.tenantId);
    const wrong = await gql(
      cp.gatewayUrl,
      DELETE,
      { input: { confirm: 'not-the-slug' } },
      doomed.fixture.owner.token,
    );
    expect(wrong.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(wrong.errors?.[0]?.message).toContain(`type the tenant's slug (${doomed.fixture.slug})`);
    const admin = await gql(
      cp.gatewayUrl,
      DELETE,
      { input: { confirm: doomed.fixture.slug } },
      doomed.admin.token,
    );
    expect(admin.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const apiToken = await gql(
      cp.gatewayUrl,
      DELETE,
      { input: { confirm: doomed.fixture.slug } },
      doomed.apiToken,
    );
    expect(apiToken.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // What only a person changes is as it was (flows and config versions move on their own).
    const after = await rowsOf(doomed.fixture.tenantId);
    for (const table of STABLE_TABLES) expect(after[table], table).toBe(before[table]);
  });

  it('ends sessions and tokens at once, offboards the agents, and removes every row of the tenant', {
    timeout: 90_000,
  }, async () => {
    const bystanderBefore = await rowsOf(bystander.fixture.tenantId);
    const deleted = await must<{ deleteTenant: { tenantId: string } }>(
      cp.gatewayUrl,
      DELETE,
      { input: { confirm: doomed.fixture.slug } },
      doomed.fixture.owner.token,
    );
    expect(deleted.deleteTenant.tenantId).toBe(doomed.fixture.tenantId);

    for (const token of [doomed.fixture.owner.token, doomed.admin.token, doomed.apiToken]) {
      const refused = await gql(cp.gatewayUrl, '{ me { user { email } } }', {}, token);
      expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }

    const [offboarded] = await eventually(
      () => {
        const lines = doomed.agent.logged(
          'offboarded: removed every object Meshplane managed in this cluster',
        );
        return lines.length > 0 ? lines : undefined;
      },
      30_000,
      'the agent offboards',
    );
    expect(offboarded!.removed).toBeGreaterThan(0);

    const left = await eventually(
      async () => {
        const counts = await rowsOf(doomed.fixture.tenantId);
        const nonEmpty = Object.entries(counts).filter(
          ([table, n]) => n > 0 && table !== 'tenants.audit_events',
        );
        return nonEmpty.length === 0 ? counts : undefined;
      },
      30_000,
      'every row of the tenant removed',
    );
    expect(Object.values(left).reduce((a, b) => a + b, 0)).toBe(left['tenants.audit_events']);
    // The append-only audit log keeps the tenant's trail, the deletion last.
    const last = await eventually(
      async () => {
        const { rows } = await db.query<{ operation: string }>(
          'SELECT operation FROM tenants.audit_events WHERE tenant_id = $1 ORDER BY occurred_at DESC LIMIT 1',
          [doomed.fixture.tenantId],
        );
        return rows[0]?.operation === 'deleteTenant' ? rows[0].operation : undefined;
      },
      10_000,
      "the deletion's audit event",
    );
    expect(last).toBe('deleteTenant');

    // Each service's final pass ran (TENANT_PURGE_FINAL_SWEEP_MS later), and left nothing either.
    await eventually(
      () => {
        const finals = cp.logs.filter(
          (line) =>
            line.includes("removed a deleted tenant's rows") &&
            line.includes('"final":true') &&
            line.includes(doomed.fixture.tenantId),
        );
        const services = ['clusters-worker', 'policies-worker', 'telemetry-worker'];
        return services.every((service) => finals.some((line) => line.includes(`"service":"${service}"`)))
          ? true
          : undefined;
      },
      15_000,
      "every service's final pass",
    );
    const settled = await rowsOf(doomed.fixture.tenantId);
    expect(Object.entries(settled).filter(([table, n]) => n > 0 && table !== 'tenants.audit_events')).toEqual(
      [],
    );

    // The other tenant lost nothing, and its agent is still connected.
    const bystanderAfter = await rowsOf(bystander.fixture.tenantId);
    for (const [table, n] of Object.entries(bystanderBefore)) {
      expect(bystanderAfter[table], table).toBeGreaterThanOrEqual(n);
    }
    const { clusters } = await must<{ clusters: { status: { connected: boolean } }[] }>(
      cp.gatewayUrl,
      '{ clusters { status { connected } } }',
      {},
      bystander.fixture.owner.token,
    );
    expect(clusters.map((c) => c.status.connected)).toEqual([true]);

    // The name is free again.
    const again = await newTenant(cp.gatewayUrl, `Doomed ${process.pid}`);
    expect(again.slug).toBe(doomed.fixture.slug);
  });
});
