import { type ControlPlane, gql, startControlPlane } from '@meshplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANGE_FIELDS, CREATE_POLICY, CREATE_TIER, webPolicyInput } from './policies-fixtures.js';
import { addMember, newTenant, type TenantFixture } from './tenants-fixtures.js';

const UPDATE_POLICY = `mutation($id: ID!, $input: UpdatePolicyInput!) { updatePolicy(id: $id, input: $input) { ${CHANGE_FIELDS} } }`;
const HISTORY = `query($id: ID!) { policyHistory(id: $id) { version change changeId spec { ingress { action } } } }`;
const DIFF = `query($id: ID!, $from: Int!, $to: Int!) { policyDiff(id: $id, from: $from, to: $to) { changes { op path before after } } }`;
const ROLLBACK = `mutation($id: ID!, $version: Int!) { rollbackPolicy(id: $id, version: $version) { ${CHANGE_FIELDS} } }`;
const POLICIES = `{ policies { id name } }`;

describe('policy API through the gateway: tiers, policies, versions, roles and tenant isolation', () => {
  let cp: ControlPlane;
  let a: TenantFixture;
  let b: TenantFixture;
  let policyId: string;
  let input: ReturnType<typeof webPolicyInput>;

  beforeAll(async () => {
    cp = await startControlPlane({ AUTH_RATE_LIMIT_PER_IP: '10000' });
    [a, b] = await Promise.all([newTenant(cp.gatewayUrl), newTenant(cp.gatewayUrl)]);
  });

  afterAll(async () => {
    await cp?.stop();
  });

  it('creates a tier and a policy in it', async () => {
    const tier = await gql(
      cp.gatewayUrl,
      CREATE_TIER,
      { input: { name: 'platform', order: 100 } },
      a.owner.token,
    );
    expect(tier.errors).toBeUndefined();
    input = webPolicyInput('platform', 'allow-frontend');
    const created = await gql<{
      createPolicy: { policyId: string; version: number; policy: { tier: string } };
    }>(cp.gatewayUrl, CREATE_POLICY, { input }, a.owner.token);
    expect(created.errors).toBeUndefined();
    expect(created.data?.createPolicy).toMatchObject({ version: 1, policy: { tier: 'platform' } });
    policyId = created.data!.createPolicy.policyId;
    const tiers = await gql<{ tiers: Array<{ name: string }> }>(
      cp.gatewayUrl,
      '{ tiers { name } }',
      {},
      a.owner.token,
    );
    expect(tiers.data?.tiers.map((t) => t.name)).toEqual(['platform', 'default']);
  });

  it('refuses an invalid policy with BAD_USER_INPUT naming the field, and stores nothing', async () => {
    const bad = {
      ...input,
      name: 'bad-ports',
      spec: { ...input.spec, ingress: [{ action: 'Allow', destination: { ports: ['80'] } }] },
    };
    const result = await gql(cp.gatewayUrl, CREATE_POLICY, { input: bad }, a.owner.token);
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.spec.ingress[0].destination.ports',
    });
    const listed = await gql<{ policies: Array<{ name: string }> }>(
      cp.gatewayUrl,
      POLICIES,
      {},
      a.owner.token,
    );
    expect(listed.data?.policies.map((p) => p.name)).toEqual(['allow-frontend']);
  });

  it('versions an update, diffs it and rolls it back', async () => {
    const spec = { ...input.spec, ingress: [{ ...input.spec.ingress[0], action: 'Deny' }] };
    const updated = await gql(cp.gatewayUrl, UPDATE_POLICY, { id: policyId, input: { spec } }, a.owner.token);
    expect(updated.errors).toBeUndefined();

    const history = await gql<{ policyHistory: Array<{ version: number; change: string }> }>(
      cp.gatewayUrl,
      HISTORY,
      { id: policyId },
      a.owner.token,
    );
    expect(history.data?.policyHistory.map((v) => [v.version, v.change])).toEqual([
      [2, 'Updated'],
      [1, 'Created'],
    ]);

    const diff = await gql<{ policyDiff: { changes: unknown[] } }>(
      cp.gatewayUrl,
      DIFF,
      { id: policyId, from: 1, to: 2 },
      a.owner.token,
    );
    expect(diff.data?.policyDiff.changes).toEqual([
      { op: 'Replace', path: '/spec/ingress/0/action', before: '"Allow"', after: '"Deny"' },
    ]);

    const rolledBack = await gql<{
      rollbackPolicy: { version: number; policy: { spec: { ingress: Array<{ action: string }> } } };
    }>(cp.gatewayUrl, ROLLBACK, { id: policyId, version: 1 }, a.owner.token);
    expect(rolledBack.data?.rollbackPolicy.version).toBe(3);
    expect(rolledBack.data?.rollbackPolicy.policy.spec.ingress[0]?.action).toBe('Allow');
    const after = await gql(cp.gatewayUrl, DIFF, { id: policyId, from: 1, to: 3 }, a.owner.token);
    expect(after.data).toEqual({ policyDiff: { changes: [] } });
  });

  it('gives a viewer FORBIDDEN for every policy mutation, and lets them read', async () => {
    const viewer = await addMember(cp.gatewayUrl, a, 'viewer');
    const attempts = [
      gql(cp.gatewayUrl, CREATE_POLICY, { input: { ...input, name: 'by-viewer' } }, viewer.token),
      gql(cp.gatewayUrl, UPDATE_POLICY, { id: policyId, input: { spec: input.spec } }, viewer.token),
      gql(cp.gatewayUrl, ROLLBACK, { id: policyId, version: 2 }, viewer.token),
      gql(
        cp.gatewayUrl,
        'mutation($id: ID!) { deletePolicy(id: $id) { version } }',
        { id: policyId },
        viewer.token,
      ),
      gql(cp.gatewayUrl, CREATE_TIER, { input: { name: 'by-viewer' } }, viewer.token),
    ];
    for (const result of await Promise.all(attempts)) {
      expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const read = await gql<{ policy: { version: number } }>(
      cp.gatewayUrl,
      'query($id: ID!) { policy(id: $id) { version } }',
      { id: policyId },
      viewer.token,
    );
    expect(read.data?.policy.version).toBe(3);
  });

  it("keeps tenant A's policy out of tenant B's sight and reach (NOT_FOUND)", async () => {
    const attempts = [
      gql(cp.gatewayUrl, 'query($id: ID!) { policy(id: $id) { id } }', { id: policyId }, b.owner.token),
      gql(cp.gatewayUrl, HISTORY, { id: policyId }, b.owner.token),
      gql(cp.gatewayUrl, DIFF, { id: policyId, from: 1, to: 2 }, b.owner.token),
      gql(cp.gatewayUrl, UPDATE_POLICY, { id: policyId, input: { spec: {} } }, b.owner.token),
      gql(cp.gatewayUrl, ROLLBACK, { id: policyId, version: 2 }, b.owner.token),
      gql(
        cp.gatewayUrl,
        'mutation($id: ID!) { deletePolicy(id: $id) { version } }',
        { id: policyId },
        b.owner.token,
      ),
    ];
    for (const result of await Promise.all(attempts)) {
      expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(JSON.stringify(result)).not.toContain('allow-frontend');
    }
    const listed = await gql<{ policies: unknown[] }>(cp.gatewayUrl, POLICIES, {}, b.owner.token);
    expect(listed.data?.policies).toEqual([]);
    const mine = await gql<{ policy: { version: number } }>(
      cp.gatewayUrl,
      'query($id: ID!) { policy(id: $id) { version } }',
      { id: policyId },
      a.owner.token,
    );
    expect(mine.data?.policy.version).toBe(3);
  });
  it('accepts a policy at the documented maximum of 1,024 rules per direction through the gateway', async () => {
    const rule = (i: number) => ({
      action: 'Allow',
      protocol: 'TCP',
      source: { selector: `app == 'client-${i}'` },
      destination: { ports: [String(1_000 + i)] },
    });
    const spec = { selector: "app == 'big'", ingress: Array.from({ length: 1_024 }, (_, i) => rule(i)) };
    const body = JSON.stringify({
      input: { kind: 'NetworkPolicy', name: 'largest', namespace: 'shop', spec },
    });
    expect(body.length).toBeGreaterThan(100_000);
    const created = await gql(
      cp.gatewayUrl,
      CREATE_POLICY,
      { input: { kind: 'NetworkPolicy', name: 'largest', namespace: 'shop', spec } },
      a.owner.token,
    );
    expect(created.errors).toBeUndefined();
    const over = await gql(
      cp.gatewayUrl,
      CREATE_POLICY,
      {
        input: {
          kind: 'NetworkPolicy',
          name: 'too-large',
          namespace: 'shop',
          spec: { ...spec, ingress: [...spec.ingress, rule(1_024)] },
        },
      },
      a.owner.token,
    );
    expect(over.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});
