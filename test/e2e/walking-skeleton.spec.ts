import { CLOSE_CODES } from '@meshplane/protocol';
import {
  type ControlPlane,
  FakeAgent,
  gql,
  isAlive,
  signUpTenant,
  startControlPlane,
} from '@meshplane/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SUBGRAPH_OFFSETS = { tenants: 1, clusters: 2, policies: 3, telemetry: 4 } as const;
const AGENT_HUB_OFFSET = 10;

describe('the control plane, started by the launcher, through the gateway', () => {
  let cp: ControlPlane;

  beforeAll(async () => {
    cp = await startControlPlane();
  });

  afterAll(async () => {
    await cp?.stop();
  });

  it('serves one tenant-scoped query of every subgraph to a signed-up owner', async () => {
    const tenant = await signUpTenant(cp.gatewayUrl, 'Walking Skeleton');
    const result = await gql<{
      me: { role: string; user: { id: string }; tenant: { id: string; slug: string } };
      clusters: unknown[];
      tiers: unknown[];
      telemetrySettings: { retentionDays: number; customised: boolean };
    }>(
      cp.gatewayUrl,
      `{ me { role user { id } tenant { id slug } } clusters { id } tiers { id } telemetrySettings { retentionDays customised } }`,
      {},
      tenant.token,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.me).toEqual({
      role: 'owner',
      user: { id: tenant.userId },
      tenant: { id: tenant.tenantId, slug: 'walking-skeleton' },
    });
    expect(result.data?.clusters).toEqual([]);
    // Every tenant has Calico's built-in `default` tier (the policies service materialises it).
    expect(result.data?.tiers).toEqual([{ id: expect.any(String) }]);
    expect(result.data?.telemetrySettings).toEqual({ retentionDays: 7, customised: false });
  });

  it('answers each tenant with its own identity', async () => {
    const a = await signUpTenant(cp.gatewayUrl, 'Tenant Alpha');
    const b = await signUpTenant(cp.gatewayUrl, 'Tenant Beta');
    const meOf = async (token: string) =>
      (await gql<{ me: { tenant: { id: string } } }>(cp.gatewayUrl, '{ me { tenant { id } } }', {}, token))
        .data?.me.tenant.id;
    expect(await meOf(a.token)).toBe(a.tenantId);
    expect(await meOf(b.token)).toBe(b.tenantId);
  });

  it('refuses tenant-scoped queries from anonymous callers with UNAUTHENTICATED', async () => {
    for (const field of [
      'me { role }',
      'clusters { id }',
      'tiers { id }',
      'telemetrySettings { retentionDays }',
    ]) {
      const result = await gql<Record<string, unknown>>(cp.gatewayUrl, `{ ${field} }`);
      // Root fields are nullable: the refused one is null, beside its error.
      expect(Object.values(result.data ?? {}).every((value) => value === null)).toBe(true);
      expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('answers a malformed or forged bearer token with 401 and a clear message', async () => {
    const forged = await gql(cp.gatewayUrl, '{ me { role } }', {}, 'eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl');
    expect(forged.status).toBe(401);
    expect(forged.errors?.[0]?.message).toMatch(/invalid or expired/);
    const response = await request(cp.gatewayUrl)
      .post('/graphql')
      .set('authorization', 'Basic abc')
      .send({ query: '{ me { role } }' });
    expect(response.status).toBe(401);
  });

  it('has every subgraph refuse a request that did not come through the gateway', async () => {
    const owner = await signUpTenant(cp.gatewayUrl, 'Bypass Attempt');
    for (const [name, offset] of Object.entries(SUBGRAPH_OFFSETS)) {
      const subgraphUrl = `http://127.0.0.1:${cp.port(offset)}`;
      const direct = await gql(subgraphUrl, '{ __typename }', {}, owner.token);
      expect(direct.status, `${name} without identity`).toBe(401);
      expect(direct.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const forged = await gql(subgraphUrl, '{ __typename }', {}, undefined, {
        'x-meshplane-identity': 'eyJhbGciOiJIUzI1NiJ9.eyJrbmQiOiJ1c2VyIn0.Zm9yZ2Vk',
      });
      expect(forged.status, `${name} with a forged identity`).toBe(401);
    }
  });

  it('rejects a query over the alias limit before running it, and accepts one at the limit', async () => {
    const owner = await signUpTenant(cp.gatewayUrl, 'Limits');
    const aliased = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `a${i}: me { role }`).join(' ')} }`;
    const over = await gql(cp.gatewayUrl, aliased(31), {}, owner.token);
    expect(over.errors?.[0]?.message).toBe('query uses 31 aliases; the limit is 30');
    expect(over.data ?? null).toBeNull();
    const atLimit = await gql<Record<string, { role: string }>>(cp.gatewayUrl, aliased(30), {}, owner.token);
    expect(atLimit.errors).toBeUndefined();
    expect(atLimit.data?.a29).toEqual({ role: 'owner' });
  });

  it('closes an agent websocket whose hello carries no valid credential with "unauthenticated"', async () => {
    const agent = await FakeAgent.connect(`ws://127.0.0.1:${cp.port(AGENT_HUB_OFFSET)}/agents`);
    await expect(agent.hello('not-a-credential')).rejects.toThrow(/closed 4401 unauthenticated/);
    expect((await agent.closed).code).toBe(CLOSE_CODES.unauthenticated);
  });

  it('exposes liveness, readiness and Prometheus metrics on every process', async () => {
    for (const offset of [0, 1, 2, 3, 4, AGENT_HUB_OFFSET]) {
      const base = `http://127.0.0.1:${cp.port(offset)}`;
      expect((await request(base).get('/healthz')).status).toBe(200);
      const ready = await request(base).get('/readyz');
      expect(ready.status).toBe(200);
      expect(ready.body.checks.redis).toBe('ok');
      const metrics = await request(base).get('/metrics');
      expect(metrics.text).toContain('process_cpu_seconds_total');
    }
  });

  it('stops every process it started when the launcher is stopped', async () => {
    expect(cp.names).toEqual([
      'tenants',
      'clusters',
      'clusters-worker',
      'policies',
      'policies-worker',
      'telemetry',
      'telemetry-worker',
      'agent-hub',
      'gateway',
    ]);
    expect(cp.pids.every(isAlive)).toBe(true);
    const code = await cp.stop();
    expect(code).toBe(0);
    expect(cp.pids.filter(isAlive)).toEqual([]);
  });
});
