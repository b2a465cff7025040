/**
 * Factories and helpers for the tenants end-to-end tests (access, role matrix, isolation):
 * members of every role, API tokens, and waiting for the audit log to catch up.
 */
import { readFileSync } from 'node:fs';
import { gql, STRONG_PASSWORD, signUpTenant } from '@meshplane/testing';
import {
  buildASTSchema,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  parse,
} from 'graphql';
import { expect } from 'vitest';

export type Role = 'viewer' | 'editor' | 'admin' | 'owner';
export const ROLES: readonly Role[] = ['viewer', 'editor', 'admin', 'owner'];

export interface Member {
  token: string;
  userId: string;
  email: string;
  role: Role;
}

export interface TenantFixture {
  tenantId: string;
  slug: string;
  owner: Member;
}

let counter = 0;
/** A name no other test (or earlier run) has used. */
export function unique(stem: string): string {
  counter += 1;
  return `${stem}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 6)}`;
}

export async function newTenant(baseUrl: string, name = unique('Tenant')): Promise<TenantFixture> {
  const t = await signUpTenant(baseUrl, name);
  return {
    tenantId: t.tenantId,
    slug: t.slug,
    owner: { token: t.token, userId: t.userId, email: t.email, role: 'owner' },
  };
}

/** A new session of a member (logged in with the fixtures' password): its bearer token. */
export async function logIn(baseUrl: string, tenantSlug: string, email: string): Promise<string> {
  const data = await must<{ login: { token: string } }>(
    baseUrl,
    'mutation($input: LoginInput!) { login(input: $input) { token } }',
    { input: { tenant: tenantSlug, email, password: STRONG_PASSWORD } },
  );
  return data.login.token;
}

/** Throws with the errors when a GraphQL call that must succeed did not. */
export async function must<T = Record<string, unknown>>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown>,
  token?: string,
): Promise<T> {
  const result = await gql<T>(baseUrl, query, variables, token);
  if (result.errors?.length || !result.data) {
    throw new Error(`${query.slice(0, 60)}… failed: ${JSON.stringify(result.errors ?? result.status)}`);
  }
  return result.data;
}

export const INVITE = `mutation($input: InviteMemberInput!) {
  inviteMember(input: $input) { invitationToken expiresAt member { id email role status } } }`;
export const ACCEPT = `mutation($input: AcceptInvitationInput!) {
  acceptInvitation(input: $input) { token user { id role status } tenant { id } } }`;
export const CREATE_TOKEN = `mutation($input: CreateApiTokenInput!) {
  createApiToken(input: $input) { secret apiToken { id name role active } } }`;

/** Invites a member with `role` (as the owner) and accepts the invitation; returns their session. */
export async function addMember(
  baseUrl: string,
  tenant: { owner: { token: string } },
  role: Role,
  email = `${unique(role)}@members.example`,
): Promise<Member> {
  const invited = await must<{ inviteMember: { invitationToken: string; member: { id: string } } }>(
    baseUrl,
    INVITE,
    { input: { email, role } },
    tenant.owner.token,
  );
  const accepted = await must<{ acceptInvitation: { token: string; user: { id: string } } }>(
    baseUrl,
    ACCEPT,
    {
      input: { token: invited.inviteMember.invitationToken, password: STRONG_PASSWORD },
    },
  );
  return { token: accepted.acceptInvitation.token, userId: accepted.acceptInvitation.user.id, email, role };
}

/** Creates an API token (as `creator`) and returns its id and secret. */
export async function addApiToken(
  baseUrl: string,
  creator: Member,
  role: Role = 'viewer',
  name = unique('token'),
): Promise<{ id: string; secret: string }> {
  const data = await must<{ createApiToken: { secret: string; apiToken: { id: string } } }>(
    baseUrl,
    CREATE_TOKEN,
    { input: { name, role, expiresAt: inDays(30) } },
    creator.token,
  );
  return { id: data.createApiToken.apiToken.id, secret: data.createApiToken.secret };
}

export function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString();
}

export interface AuditRow {
  id: string;
  operation: string;
  service: string;
  actorKind: string;
  actorUserId: string | null;
  actorTokenId: string | null;
  targetId: string | null;
  arguments: string;
  outcome: string;
  errorCode: string | null;
}

export const AUDIT_QUERY = `query($first: Int!, $filter: AuditEventFilter) {
  auditEvents(first: $first, filter: $filter) {
    nodes { id operation service actorKind actorUserId actorTokenId targetId arguments outcome errorCode }
    hasNextPage endCursor } }`;

/**
 * Polls the audit log (as `reader`) until `done` holds: events are delivered through a queue,
 * so they land shortly after the mutation's response.
 */
export async function waitForAudit(
  baseUrl: string,
  reader: string,
  done: (events: AuditRow[]) => boolean,
  filter: Record<string, unknown> = {},
): Promise<AuditRow[]> {
  const deadline = Date.now() + 15_000;
  let events: AuditRow[] = [];
  while (Date.now() < deadline) {
    const data = await must<{ auditEvents: { nodes: AuditRow[] } }>(
      baseUrl,
      AUDIT_QUERY,
      { first: 200, filter },
      reader,
    );
    events = data.auditEvents.nodes;
    if (done(events)) return events;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect.fail(`audit log did not catch up; last saw ${JSON.stringify(events.map((e) => e.operation))}`);
}

/**
 * The schema the gateway serves: the committed supergraph it loads at start-up (fields marked
 * `@inaccessible` are not exposed, so they are left out by `exposedFields`).
 */
export function gatewaySchema(): GraphQLSchema {
  const path = new URL('../../services/gateway/supergraph.graphql', import.meta.url);
  return buildASTSchema(parse(readFileSync(path, 'utf8')), { assumeValidSDL: true });
}

export function exposedFields(type: GraphQLObjectType | null | undefined): GraphQLField<unknown, unknown>[] {
  if (!type) return [];
  return Object.values(type.getFields()).filter(
    (field) => !field.astNode?.directives?.some((d) => d.name.value === 'inaccessible'),
  );
}

/** Registers a cluster (as an editor or above) and returns its id. */
export async function addCluster(baseUrl: string, token: string): Promise<string> {
  const data = await must<{ registerCluster: { cluster: { id: string } } }>(
    baseUrl,
    'mutation($input: RegisterClusterInput!) { registerCluster(input: $input) { cluster { id } } }',
    { input: { name: unique('c').toLowerCase().slice(0, 40), labels: [{ key: 'env', value: 'test' }] } },
    token,
  );
  return data.registerCluster.cluster.id;
}

/** A view of a tenant's state to compare before and after a refused call (as its owner). */
export async function tenantSnapshot(baseUrl: string, tenant: TenantFixture): Promise<string> {
  const data = await must(
    baseUrl,
    `{ members { id email role status }
       apiTokens { id name role revokedAt expiresAt }
       clusters { id name labels { key value } } }`,
    {},
    tenant.owner.token,
  );
  return JSON.stringify(data);
}
