import { type ControlPlane, gql, STRONG_PASSWORD, startControlPlane } from '@meshplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addChangeSetPlan,
  addTier,
  addTierAndPolicy,
  addZone,
  newTierChangeSet,
  PLAN_CHANGE_SET,
  webPolicyInput,
} from './policies-fixtures.js';
import {
  addApiToken,
  addCluster,
  addMember,
  exposedFields,
  gatewaySchema,
  INVITE,
  inDays,
  logIn,
  type Member,
  must,
  newTenant,
  ROLES,
  type Role,
  type TenantFixture,
  tenantSnapshot,
  unique,
} from './tenants-fixtures.js';

interface Call {
  query: string;
  variables: Record<string, unknown>;
}

interface Context {
  baseUrl: string;
  tenant: TenantFixture;
}

interface MatrixEntry {
  /** The least role allowed; `public` for operations anyone may call without signing in. */
  minRole: Role | 'public';
  /** Only a signed-in user may call it (an API token gets FORBIDDEN whatever its role). */
  sessionOnly?: boolean;
  /**
   * It ends the session that calls it (logout, refresh): a session caller makes the call with a
   * session of its own, logged in for it, so the caller's shared token stays valid.
   */
  endsSession?: boolean;
  /**
   * What an allowed caller gets instead of `ok`: the call is made with input the server refuses
   * after the role check (deleting the shared tenant would end the test), which shows the check
   * comes first; `test/e2e/tenant-delete.spec.ts` makes the real call.
   */
  allowedCode?: string;
  /** A fresh, valid call: its targets are made anew for every attempt, so one allowed call cannot spoil the next. */
  prepare(context: Context): Promise<Call>;
}

/**
 * Every mutation the gateway exposes, with the least role it needs (DESIGN: viewers read,
 * editors change policies and clusters, admins manage members and tokens, owners everything).
 * A mutation missing here fails the first test below: add it when you add the mutation.
 */
const MATRIX: Record<string, MatrixEntry> = {
  signUp: {
    minRole: 'public',
    prepare: async () => ({
      query: 'mutation($input: SignUpInput!) { signUp(input: $input) { token } }',
      variables: {
        input: {
          tenantName: unique('Matrix'),
          email: `${unique('m')}@matrix.example`,
          password: STRONG_PASSWORD,
        },
      },
    }),
  },
  login: {
    minRole: 'public',
    prepare: async ({ tenant }) => ({
      query: 'mutation($input: LoginInput!) { login(input: $input) { token } }',
      variables: { input: { tenant: tenant.slug, email: tenant.owner.email, password: STRONG_PASSWORD } },
    }),
  },
  acceptInvitation: {
    minRole: 'public',
    prepare: async ({ baseUrl, tenant }) => {
      const invited = await must<{ inviteMember: { invitationToken: string } }>(
        baseUrl,
        INVITE,
        { input: { email: `${unique('inv')}@matrix.example`, role: 'viewer' } },
        tenant.owner.token,
      );
      return {
        query: 'mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { token } }',
        variables: { input: { token: invited.inviteMember.invitationToken, password: STRONG_PASSWORD } },
      };
    },
  },
  refreshSession: {
    minRole: 'viewer',
    sessionOnly: true,
    endsSession: true,
    prepare: async () => ({ query: 'mutation { refreshSession { token } }', variables: {} }),
  },
  logout: {
    minRole: 'viewer',
    sessionOnly: true,
    endsSession: true,
    prepare: async () => ({ query: 'mutation { logout { sessionId } }', variables: {} }),
  },
  deleteTenant: {
    minRole: 'owner',
    allowedCode: 'BAD_USER_INPUT',
    prepare: async () => ({
      query: 'mutation($input: DeleteTenantInput!) { deleteTenant(input: $input) { tenantId } }',
      variables: { input: { confirm: 'not-this-tenant' } },
    }),
  },
  inviteMember: {
    minRole: 'admin',
    prepare: async () => ({
      query: INVITE,
      variables: { input: { email: `${unique('inv')}@matrix.example`, role: 'viewer' } },
    }),
  },
  updateMemberRole: {
    minRole: 'admin',
    prepare: async ({ baseUrl, tenant }) => ({
      query: 'mutation($input: UpdateMemberRoleInput!) { updateMemberRole(input: $input) { id role } }',
      variables: { input: { userId: (await addMember(baseUrl, tenant, 'viewer')).userId, role: 'editor' } },
    }),
  },
  removeMember: {
    minRole: 'admin',
    prepare: async ({ baseUrl, tenant }) => ({
      query: 'mutation($userId: ID!) { removeMember(userId: $userId) { id } }',
      variables: { userId: (await addMember(baseUrl, tenant, 'viewer')).userId },
    }),
  },
  createApiToken: {
    minRole: 'admin',
    prepare: async () => ({
      query: 'mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { apiToken { id } } }',
      variables: { input: { name: unique('matrix'), role: 'viewer', expiresAt: inDays(7) } },
    }),
  },
  revokeApiToken: {
    minRole: 'admin',
    prepare: async ({ baseUrl, tenant }) => ({
      query: 'mutation($id: ID!) { revokeApiToken(id: $id) { id } }',
      variables: { id: (await addApiToken(baseUrl, tenant.owner, 'viewer')).id },
    }),
  },
  registerCluster: {
    minRole: 'editor',
    prepare: async () => ({
      query: 'mutation($input: RegisterClusterInput!) { registerCluster(input: $input) { cluster { id } } }',
      variables: { input: { name: unique('rc').toLowerCase().slice(0, 40), labels: [] } },
    }),
  },
  rotateInstallToken: {
    minRole: 'editor',
    prepare: async ({ baseUrl, tenant }) => ({
      query: 'mutation($id: ID!) { rotateInstallToken(id: $id) { installTokenExpiresAt } }',
      variables: { id: await addCluster(baseUrl, tenant.owner.token) },
    }),
  },
  createTier: {
    minRole: 'editor',
    prepare: async () => ({
      query: `mutation($input: CreateTierInput!) { createTier(input: $input) { id } }`,
      variables: { input: { name: unique('tier').toLowerCase().slice(0, 60) } },
    }),
  },
  updateTier: {
    minRole: 'editor',
    prepare: async ({ baseUrl, tenant }) => ({
      query: 'mutation($id: ID!) { updateTier(id: $id, input: { order: 5 }) { id } }',
      variables: { id: (await addTier(baseUrl, tenant.owner.token)).id },
    }),
  },
  deleteTier: {
    minRole: 'editor',
    prepare: async ({ baseUrl, tenant }) => ({
      query: 'mutation($id: ID!) { deleteTier(id: $id) }',
      variables: { id: (await addTier(baseUrl, tenant.owner.token)).id },
    }),
  },
  createPolicy: {
    minRole: 'editor',
    prepare: async () => ({
      query: 'mutation($input: CreatePolicyInput!) { createPolicy(input: $input) { policyId } }',
      variables: { input: webPolicyInput('default', unique('policy').toLowerCase()) },
    }),
  },
  updatePolicy: {
    minRole: 'editor',
    prepare: async ({ baseUrl, tenant }) => ({
      query:
        'mutation($id: ID!, $input: UpdatePolicyInput!) { updatePolicy(id: $id, input: $input) { version } }',
      variables: {
        id: (await addTierAndPolicy(baseUrl, tenant.owner.token)).policyId,
        input: { spec: { selector: 'all()' } },
      },
    }),
  },
  deletePolicy: {
    minRole: 'editor',
    prepare: async ({ baseUrl, tenant }) => ({
      query: 'mutation($id: ID!) { deletePolicy(id: $id) { version } }',
      variables: { id: (await addTierAndPolicy(baseUrl, tenant.owner.token)).policyId },
    }),
  },
  rollbackPolicy: {
    minRole: 'editor',
    prepare: async ({ baseUrl, tenant }) => ({
      query: 'mutation($id: ID!) { rollbackPolicy(id: $id, version: 1) { version } }',
      variables: { id: (await addTierAndPolicy(baseUrl, tenant.owner.token)).policyId },
    }),
  },
  planChangeSet: {
    minRole: 'editor',
    prepare: async () => ({ query: PLAN_CHANGE_SET, variables: { input: newTierChangeSet() } }),
  },
  applyChangeSet: {
    minRole: 'editor',
    // Planned just before the call, so nothing else moves the revision in between.
    prepare: async ({ baseUrl, tenant }) => ({
      query: 'mutation($id: ID!) { applyChangeSet(planId: $id) { changeId } }',
      variables: { id: await addChangeSetPlan(baseUrl, tenant.owner.token) },
    }),
  },
  createComplianceZone: {
    minRole: 'editor',
    prepare: async () => ({
      query:
        'mutation($input: CreateComplianceZoneInput!) { createComplianceZone(input: $input) { zoneId } }',
      variables: { input: { name: unique('zone').toLowerCase().slice(0, 60), clusterSelector: 'all()' } },
    }),
  },
  updateComplianceZone: {
    minRole: 'editor',
    prepare: async ({ baseUrl, tenant }) => ({
      query:
        'mutation($id: ID!) { updateComplianceZone(id: $id, input: { clusterSelector: "geo == \'us\'" }) { zoneId } }',
      variables: { id: await addZone(baseUrl, tenant.owner.token) },
    }),
  },
  deleteComplianceZone: {
    minRole: 'editor',
    prepare: async ({ baseUrl, tenant }) => ({
      query: 'mutation($id: ID!) { deleteComplianceZone(id: $id) { zoneId } }',
      variables: { id: await addZone(baseUrl, tenant.owner.token) },
    }),
  },
  setEncryption: {
    minRole: 'editor',
    prepare: async () => ({
      query: 'mutation($input: SetEncryptionInput!) { setEncryption(input: $input) { changeId } }',
      variables: { input: { wireguardEnabled: true, wireguardMTU: 1400 } },
    }),
  },
  updateClusterLabels: {
    minRole: 'editor',
    prepare: async ({ baseUrl, tenant }) => ({
      query:
        'mutation($id: ID!, $labels: [LabelInput!]!) { updateClusterLabels(id: $id, labels: $labels) { id } }',
      variables: {
        id: await addCluster(baseUrl, tenant.owner.token),
        labels: [{ key: 'env', value: 'prod' }],
      },
    }),
  },
  revokeCluster: {
    minRole: 'admin',
    prepare: async ({ baseUrl, tenant }) => ({
      query: 'mutation($id: ID!) { revokeCluster(id: $id) { id } }',
      variables: { id: await addCluster(baseUrl, tenant.owner.token) },
    }),
  },
  deleteCluster: {
    minRole: 'admin',
    prepare: async ({ baseUrl, tenant }) => ({
      query: 'mutation($id: ID!) { deleteCluster(id: $id) }',
      variables: { id: await addCluster(baseUrl, tenant.owner.token) },
    }),
  },
};

const allows = (role: Role, min: Role) => ROLES.indexOf(role) >= ROLES.indexOf(min);

describe('role matrix: every mutation, tried with every role, through the gateway', () => {
  let cp: ControlPlane;
  let tenant: TenantFixture;
  let callers: Array<{ label: string; role: Role; token: string; session: boolean; email: string }>;

  /** A session of its own for a call that ends the session calling it. */
  const ownSession = (email: string) => logIn(cp.gatewayUrl, tenant.slug, email);

  beforeAll(async () => {
    cp = await startControlPlane({ AUTH_RATE_LIMIT_PER_IP: '10000' });
    tenant = await newTenant(cp.gatewayUrl);
    const members: Member[] = [tenant.owner];
    for (const role of ['admin', 'editor', 'viewer'] as const)
      members.push(await addMember(cp.gatewayUrl, tenant, role));
    callers = [];
    for (const member of members) {
      callers.push({
        label: `${member.role} session`,
        role: member.role,
        token: member.token,
        session: true,
        email: member.email,
      });
      const token = await addApiToken(cp.gatewayUrl, tenant.owner, member.role);
      callers.push({
        label: `${member.role} API token`,
        role: member.role,
        token: token.secret,
        session: false,
        email: member.email,
      });
    }
  });

  afterAll(async () => {
    await cp?.stop();
  });

  it('has an entry for every mutation the gateway exposes, and none for mutations that are gone', () => {
    const exposed = exposedFields(gatewaySchema().getMutationType()).map((field) => field.name);
    expect(
      exposed.filter((name) => !MATRIX[name]),
      'mutations missing from MATRIX',
    ).toEqual([]);
    expect(
      Object.keys(MATRIX).filter((name) => !exposed.includes(name)),
      'stale MATRIX entries',
    ).toEqual([]);
  });

  it('lets anyone call the public mutations without signing in', async () => {
    for (const [name, entry] of Object.entries(MATRIX).filter(([, e]) => e.minRole === 'public')) {
      const { query, variables } = await entry.prepare({ baseUrl: cp.gatewayUrl, tenant });
      const result = await gql(cp.gatewayUrl, query, variables);
      expect(result.errors, name).toBeUndefined();
    }
  });

  it('refuses every signed-in mutation to anonymous callers with UNAUTHENTICATED', async () => {
    for (const [name, entry] of Object.entries(MATRIX).filter(([, e]) => e.minRole !== 'public')) {
      const { query, variables } = await entry.prepare({ baseUrl: cp.gatewayUrl, tenant });
      const result = await gql(cp.gatewayUrl, query, variables);
      expect(result.errors?.[0]?.extensions?.code, name).toBe('UNAUTHENTICATED');
    }
  });

  it('allows each mutation from its least role up, and refuses it below with FORBIDDEN, changing nothing', {
    timeout: 180_000,
  }, async () => {
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const [name, entry] of Object.entries(MATRIX)) {
      if (entry.minRole === 'public') continue;
      for (const caller of callers) {
        const allowed = allows(caller.role, entry.minRole) && (caller.session || !entry.sessionOnly);
        const { query, variables } = await entry.prepare({ baseUrl: cp.gatewayUrl, tenant });
        const before = allowed && !entry.allowedCode ? '' : await tenantSnapshot(cp.gatewayUrl, tenant);
        const token = entry.endsSession && caller.session ? await ownSession(caller.email) : caller.token;
        const result = await gql(cp.gatewayUrl, query, variables, token);
        const code = result.errors?.length ? String(result.errors[0]?.extensions?.code) : 'ok';
        outcomes.push(`${name} as ${caller.label}: ${code}`);
        expected.push(`${name} as ${caller.label}: ${allowed ? (entry.allowedCode ?? 'ok') : 'FORBIDDEN'}`);
        if (!allowed || entry.allowedCode) {
          expect(result.data?.[name] ?? null, `${name} as ${caller.label} returned data`).toBeNull();
          expect(
            await tenantSnapshot(cp.gatewayUrl, tenant),
            `${name} as ${caller.label} changed state`,
          ).toBe(before);
        }
      }
    }
    expect(outcomes).toEqual(expected);
  });
});
