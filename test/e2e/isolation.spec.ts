import { type ControlPlane, gql, STRONG_PASSWORD, startControlPlane } from '@meshplane/testing';
import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addChangeSetPlan, addTierAndPolicy, addZone } from './policies-fixtures.js';
import {
  addApiToken,
  addCluster,
  addMember,
  exposedFields,
  gatewaySchema,
  inDays,
  logIn,
  type Member,
  newTenant,
  type TenantFixture,
  tenantSnapshot,
  waitForAudit,
} from './tenants-fixtures.js';

/** Tenant A's resources, made once; tenant B then aims every operation at them. */
interface Victim {
  tenant: TenantFixture;
  member: Member;
  apiTokenId: string;
  clusterId: string;
  tierId: string;
  policyId: string;
  zoneId: string;
  /** The change that created the policy (for `rollout`). */
  changeId: string;
  /** A stored change-set plan (for `applyChangeSet`). */
  planId: string;
}

type IdFactory = (victim: Victim) => string;

/**
 * Where tenant A's ids come from, for every ID-typed argument (or input field) the gateway's
 * operations take: first `<operation>.<path>` (for the ambiguous `id`), then the argument's own
 * name. An operation whose ID argument has no factory fails the first test below: when you add
 * one, add its factory here (and, if it is a new kind of resource, make one in `beforeAll`).
 */
const ID_FACTORIES: Record<string, IdFactory> = {
  userId: (v) => v.member.userId,
  actorUserId: (v) => v.tenant.owner.userId,
  actorTokenId: (v) => v.apiTokenId,
  targetId: (v) => v.member.userId,
  clusterId: (v) => v.clusterId,
  'revokeApiToken.id': (v) => v.apiTokenId,
  'cluster.id': (v) => v.clusterId,
  'rotateInstallToken.id': (v) => v.clusterId,
  'updateClusterLabels.id': (v) => v.clusterId,
  'revokeCluster.id': (v) => v.clusterId,
  'deleteCluster.id': (v) => v.clusterId,
  'updateTier.id': (v) => v.tierId,
  'deleteTier.id': (v) => v.tierId,
  'policy.id': (v) => v.policyId,
  'policyHistory.id': (v) => v.policyId,
  'policyDiff.id': (v) => v.policyId,
  'updatePolicy.id': (v) => v.policyId,
  'deletePolicy.id': (v) => v.policyId,
  'rollbackPolicy.id': (v) => v.policyId,
  'complianceZone.id': (v) => v.zoneId,
  'updateComplianceZone.id': (v) => v.zoneId,
  'deleteComplianceZone.id': (v) => v.zoneId,
  'complianceReport.zoneId': (v) => v.zoneId,
  changeId: (v) => v.changeId,
  planId: (v) => v.planId,
  // Service-graph node ids name clusters by name, which tenants may share: B's query of "A's"
  // edge reads B's own flows, so any well-formed id probes as well as A's.
  'flows.filter.edge.source': () => 'workload:isolation-a/shop/web',
  'flows.filter.edge.destination': () => 'workload:isolation-a/shop/db',
};

/** Valid-looking values for non-ID strings, by argument name (anything else gets a probe word). */
const STRING_VALUES: Record<string, (victim: Victim) => string> = {
  email: () => 'probe@isolation.example',
  password: () => STRONG_PASSWORD,
  tenant: (v) => v.tenant.slug,
  tenantName: () => `Isolation Probe ${Math.random().toString(36).slice(2, 8)}`,
  name: () => `probe-${Math.random().toString(36).slice(2, 8)}`,
};

interface Operation {
  kind: 'query' | 'mutation';
  field: GraphQLField<unknown, unknown>;
}

interface IdSlot {
  path: string;
  required: boolean;
}

function isIdType(type: GraphQLInputType): boolean {
  return getNamedType(type).name === 'ID';
}

/** Every ID-typed argument or input field of an operation, with its path (`input.userId`). */
function idSlots(operation: string, args: readonly GraphQLArgument[]): IdSlot[] {
  const slots: IdSlot[] = [];
  const visit = (name: string, type: GraphQLInputType, path: string, required: boolean, depth: number) => {
    if (isIdType(type)) slots.push({ path, required: required && isNonNullType(type) });
    const named = getNamedType(type);
    if (isInputObjectType(named) && depth < 4) {
      for (const field of Object.values(named.getFields())) {
        visit(field.name, field.type, `${path}.${field.name}`, required && isNonNullType(type), depth + 1);
      }
    }
    return name;
  };
  for (const arg of args) visit(arg.name, arg.type, arg.name, true, 0);
  return slots.map((slot) => ({ ...slot, path: `${operation}.${slot.path}` }));
}

function factoryFor(slotPath: string): IdFactory | undefined {
  const [operation, ...rest] = slotPath.split('.');
  const name = rest.at(-1)!;
  return (
    ID_FACTORIES[slotPath] ??
    ID_FACTORIES[`${operation}.${name}`] ??
    (name === 'id' ? undefined : ID_FACTORIES[name])
  );
}

function containsId(type: GraphQLInputType, depth = 0): boolean {
  if (isIdType(type)) return true;
  const named = getNamedType(type);
  return (
    isInputObjectType(named) &&
    depth < 4 &&
    Object.values(named.getFields()).some((f) => containsId(f.type, depth + 1))
  );
}

/**
 * A value for an argument or input field: A's id for ID slots, and plausible values elsewhere.
 * Optional values are left out unless they hold an ID (a filter by A's user, say).
 */
function valueFor(operation: string, path: string, type: GraphQLInputType, victim: Victim): unknown {
  const name = path.split('.').at(-1)!;
  if (isNonNullType(type)) return valueFor(operation, path, type.ofType, victim);
  if (isListType(type)) return [valueFor(operation, path, type.ofType as GraphQLInputType, victim)];
  if (isIdType(type)) return factoryFor(`${operation}.${path}`)?.(victim);
  if (isEnumType(type)) return type.getValues()[0]?.value;
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (!isNonNullType(field.type) && !containsId(field.type)) continue;
      out[field.name] = valueFor(operation, `${path}.${field.name}`, field.type, victim);
    }
    return out;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
      case 'Float':
        return 1;
      case 'Boolean':
        return false;
      case 'DateTime':
        // A window's end a day after its start (computed in the same millisecond, both would be equal).
        return inDays(name === 'to' ? 8 : 7);
      default:
        return STRING_VALUES[name]?.(victim) ?? 'isolation-probe';
    }
  }
  return null;
}

/** Every leaf of a result type, a few levels deep (fields that need arguments are skipped). */
function selectionOf(type: GraphQLOutputType, depth = 0): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (!isObjectType(named) || depth >= 3) return '{ __typename }';
  const parts = Object.values(named.getFields())
    .filter((field) => !field.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined))
    .map((field) => {
      const inner = getNamedType(field.type);
      if (isLeafType(inner)) return field.name;
      return depth + 1 >= 3
        ? `${field.name} { __typename }`
        : `${field.name} ${selectionOf(field.type, depth + 1)}`;
    });
  return `{ __typename ${parts.join(' ')} }`;
}

function requestFor(operation: Operation, victim: Victim) {
  const { field, kind } = operation;
  const variables: Record<string, unknown> = {};
  const declared: string[] = [];
  const passed: string[] = [];
  for (const arg of field.args) {
    if (!isNonNullType(arg.type) && !containsId(arg.type)) continue;
    variables[arg.name] = valueFor(field.name, arg.name, arg.type, victim);
    declared.push(`$${arg.name}: ${String(arg.type)}`);
    passed.push(`${arg.name}: $${arg.name}`);
  }
  const header = declared.length ? `(${declared.join(', ')})` : '';
  const args = passed.length ? `(${passed.join(', ')})` : '';
  return { query: `${kind}${header} { ${field.name}${args} ${selectionOf(field.type)} }`, variables };
}

/**
 * The request of {@link requestFor} with every optional argument, and every optional field of an
 * input object it passes, given as an explicit null: GraphQL's null must mean "not given".
 */
function withNulls(operation: Operation, victim: Victim) {
  const { query, variables } = requestFor(operation, victim);
  const nulled: Record<string, unknown> = {};
  const nullFields = (value: unknown, type: GraphQLInputType): unknown => {
    const named = getNamedType(type);
    if (!isInputObjectType(named) || value === null || typeof value !== 'object' || Array.isArray(value))
      return value;
    const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const field of Object.values(named.getFields())) {
      out[field.name] =
        field.name in out
          ? nullFields(out[field.name], field.type)
          : isNonNullType(field.type)
            ? undefined
            : null;
    }
    return out;
  };
  const declared: string[] = [];
  const passed: string[] = [];
  for (const arg of operation.field.args) {
    // An optional input object not given becomes one whose every optional field is null.
    const given =
      arg.name in variables ? variables[arg.name] : isInputObjectType(getNamedType(arg.type)) ? {} : null;
    nulled[arg.name] = nullFields(given, arg.type);
    if (nulled[arg.name] === null && isNonNullType(arg.type)) continue;
    declared.push(`$${arg.name}: ${String(arg.type)}`);
    passed.push(`${arg.name}: $${arg.name}`);
  }
  const header = declared.length ? `(${declared.join(', ')})` : '';
  const args = passed.length ? `(${passed.join(', ')})` : '';
  const selection = query
    .slice(query.indexOf(operation.field.name) + operation.field.name.length)
    .replace(/^\([^)]*\)/, '');
  return {
    query: `${operation.kind}${header} { ${operation.field.name}${args}${selection}`,
    variables: nulled,
  };
}

/** A string of a million characters: far past every documented maximum, under the 1 MiB body limit. */
const HUGE_STRING = 'a'.repeat(1_000_000);

/** JSON nested this deep (a JSON scalar's parser must refuse or bound it, not overflow). */
function deepJson(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i += 1) value = { next: value };
  return value;
}

/** Values no slot of this type should take quietly: wrong types, extremes, odd unicode, nulls. */
function badValuesFor(type: GraphQLInputType): unknown[] {
  const required = isNonNullType(type);
  const inner = (required ? (type as { ofType: GraphQLInputType }).ofType : type) as GraphQLInputType;
  const nulls = required ? [null] : [];
  if (isListType(inner)) {
    const item = inner.ofType as GraphQLInputType;
    return [...nulls, Array.from({ length: 5_000 }, () => 'x'), [null], [badValuesFor(item)[0] ?? 1]];
  }
  if (isEnumType(inner)) return [...nulls, 'NOT_A_VALUE', 1, ''];
  if (isInputObjectType(inner)) return [...nulls, 'not-an-object', { unknownField: 1 }, [{}]];
  if (!isScalarType(inner)) return nulls;
  switch (inner.name) {
    case 'Int':
      return [...nulls, -1, -2_147_483_648, 2_147_483_647, 2 ** 31, 1.5, 'ten', true];
    case 'Float':
      return [...nulls, -1e308, 1e308, -0.000001, 'x', false];
    case 'Boolean':
      return [...nulls, 'yes', 0];
    case 'DateTime':
      return [
        ...nulls,
        'yesterday',
        '2026-13-45T99:99:99Z',
        '0000-01-01T00:00:00Z',
        '9999-12-31T23:59:59Z',
        1_700_000_000,
      ];
    case 'JSON':
      return [...nulls, deepJson(2_000), Array.from({ length: 10_000 }, (_, i) => i), 'x', HUGE_STRING];
    default: // String, ID and custom string scalars
      return [
        ...nulls,
        HUGE_STRING,
        '',
        '\u0000\u0001\u001f',
        '🙂'.repeat(2_000),
        '\u202eevil\u200b',
        "' OR 1=1; DROP TABLE tenants.users; --",
        '00000000-0000-0000-0000-000000000000',
        42,
        { a: 1 },
      ];
  }
}

interface FuzzSlot {
  /** The argument and the input fields to the slot, e.g. `['input', 'labels']`. */
  path: string[];
  type: GraphQLInputType;
}

/** Every argument and input field of an operation, a few levels deep. */
function fuzzSlots(field: GraphQLField<unknown, unknown>): FuzzSlot[] {
  const slots: FuzzSlot[] = [];
  const visit = (path: string[], type: GraphQLInputType) => {
    slots.push({ path, type });
    const named = getNamedType(type);
    if (isInputObjectType(named) && path.length < 4)
      for (const inner of Object.values(named.getFields())) visit([...path, inner.name], inner.type);
  };
  for (const arg of field.args) visit([arg.name], arg.type);
  return slots;
}

/** `base` with the value at `path` replaced (intermediate objects made where missing). */
function withValueAt(base: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(base) as Record<string, unknown>;
  let at: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    const next = at[key];
    at[key] = next !== null && typeof next === 'object' && !Array.isArray(next) ? next : {};
    at = at[key] as Record<string, unknown>;
  }
  at[path.at(-1)!] = value;
  return copy;
}

type RowCounts = () => Promise<Record<string, number>>;

/** Waits until the row counts stop moving (an accepted change's compiles and bundles are written). */
async function settled(rowCounts: RowCounts): Promise<void> {
  let last = JSON.stringify(await rowCounts());
  for (let stable = 0, round = 0; stable < 3 && round < 100; round += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = JSON.stringify(await rowCounts());
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
}

/**
 * Counts the rows of every table of the services' schemas but the audit log (written for refusals
 * too): the tables are listed once, each count is then one statement.
 */
async function rowCounter(db: pg.Client): Promise<RowCounts> {
  const { rows: tables } = await db.query<{ name: string }>(
    `SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables
      WHERE table_schema IN ('tenants', 'clusters', 'policies', 'telemetry') AND table_type = 'BASE TABLE'
        AND table_name <> 'audit_events' ORDER BY 1`,
  );
  const sql = `SELECT ${tables.map((t, i) => `(SELECT count(*)::int FROM ${t.name}) AS t${i}`).join(', ')}`;
  return async () => {
    const { rows } = await db.query<Record<string, number>>(sql);
    return Object.fromEntries(tables.map((t, i) => [t.name, rows[0]![`t${i}`]!]));
  };
}

/** Mutations that end the session calling them. */
const ENDS_CALLER_SESSION = new Set(['logout', 'refreshSession']);

function operations(): Operation[] {
  const schema = gatewaySchema();
  return [
    ...exposedFields(schema.getQueryType()).map((field) => ({ kind: 'query' as const, field })),
    ...exposedFields(schema.getMutationType()).map((field) => ({ kind: 'mutation' as const, field })),
  ];
}

describe('tenant isolation, generated from the gateway schema: tenant B aims every operation at tenant A', () => {
  let cp: ControlPlane;
  let victim: Victim;
  let attacker: TenantFixture;

  beforeAll(async () => {
    cp = await startControlPlane({ AUTH_RATE_LIMIT_PER_IP: '100000', AUTH_RATE_LIMIT_PER_ACCOUNT: '100000' });
    const tenant = await newTenant(cp.gatewayUrl);
    const tierAndPolicy = await addTierAndPolicy(cp.gatewayUrl, tenant.owner.token);
    const history = await gql<{ policyHistory: { changeId: string }[] }>(
      cp.gatewayUrl,
      'query($id: ID!) { policyHistory(id: $id) { changeId } }',
      { id: tierAndPolicy.policyId },
      tenant.owner.token,
    );
    victim = {
      tenant,
      member: await addMember(cp.gatewayUrl, tenant, 'viewer'),
      apiTokenId: (await addApiToken(cp.gatewayUrl, tenant.owner, 'viewer')).id,
      clusterId: await addCluster(cp.gatewayUrl, tenant.owner.token),
      ...tierAndPolicy,
      zoneId: await addZone(cp.gatewayUrl, tenant.owner.token, 'isolation-probe-zone'),
      changeId: history.data!.policyHistory[0]!.changeId,
      planId: await addChangeSetPlan(cp.gatewayUrl, tenant.owner.token),
    };
    attacker = await newTenant(cp.gatewayUrl);
  });

  afterAll(async () => {
    await cp?.stop();
  });

  it('knows where to find tenant A ids for every ID argument of every operation', () => {
    const missing = operations()
      .flatMap(({ field }) => idSlots(field.name, field.args))
      .filter((slot) => !factoryFor(slot.path))
      .map((slot) => slot.path);
    expect(missing, 'add these to ID_FACTORIES').toEqual([]);
  });

  it('answers every query and mutation with NOT_FOUND/FORBIDDEN for A ids, and never with A data', {
    timeout: 120_000,
  }, async () => {
    const before = await tenantSnapshot(cp.gatewayUrl, victim.tenant);
    const markers = [
      victim.tenant.tenantId,
      victim.tenant.slug,
      victim.tenant.owner.userId,
      victim.tenant.owner.email,
      victim.member.userId,
      victim.member.email,
      victim.apiTokenId,
      victim.clusterId,
      victim.tierId,
      victim.policyId,
      victim.zoneId,
      victim.changeId,
    ];
    const ops = operations();
    expect(ops.length).toBeGreaterThanOrEqual(20);
    const problems: string[] = [];
    // Queries first: B's own audit log later holds the A ids B itself sent, which is no leak.
    for (const operation of ops) {
      const { query, variables } = requestFor(operation, victim);
      // logout and refreshSession end the session that calls them: B calls them with one of its own.
      const token = ENDS_CALLER_SESSION.has(operation.field.name)
        ? await logIn(cp.gatewayUrl, attacker.slug, attacker.owner.email)
        : attacker.owner.token;
      const result = await gql(cp.gatewayUrl, query, variables, token);
      const name = `${operation.kind} ${operation.field.name}`;
      if (result.status >= 500) problems.push(`${name}: HTTP ${result.status}`);
      const sent = JSON.stringify(variables);
      const leaked = markers.filter((m) => !sent.includes(m) && JSON.stringify(result).includes(m));
      if (leaked.length) problems.push(`${name}: answered with A's ${leaked.join(', ')}`);
      const data = JSON.stringify(result.data ?? {});
      if (markers.some((m) => sent.includes(m) && data.includes(m)))
        problems.push(`${name}: data holds A's ids`);
      if (process.env.ISOLATION_DEBUG)
        console.log(name, JSON.stringify(variables), JSON.stringify(result).slice(0, 300));
      const requiredIds = idSlots(operation.field.name, operation.field.args).filter((s) => s.required);
      if (requiredIds.length) {
        const code = result.errors?.[0]?.extensions?.code;
        if (code !== 'NOT_FOUND' && code !== 'FORBIDDEN') {
          problems.push(`${name}: expected NOT_FOUND or FORBIDDEN, got ${code ?? 'success'}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(await tenantSnapshot(cp.gatewayUrl, victim.tenant), "A's state changed").toBe(before);
  });

  it("keeps B's attempts in B's audit log and out of A's", async () => {
    const ofB = await waitForAudit(cp.gatewayUrl, attacker.owner.token, (events) =>
      events.some((e) => e.operation === 'revokeApiToken' && e.errorCode === 'NOT_FOUND'),
    );
    expect(ofB.find((e) => e.operation === 'revokeApiToken')).toMatchObject({
      actorUserId: attacker.owner.userId,
      targetId: victim.apiTokenId,
      outcome: 'error',
    });
    const ofA = await waitForAudit(cp.gatewayUrl, victim.tenant.owner.token, () => true);
    expect(ofA.filter((e) => e.actorUserId === attacker.owner.userId)).toEqual([]);
  });
  it('takes an explicit null as "not given" in every argument and input field of every query', {
    timeout: 120_000,
  }, async () => {
    const problems: string[] = [];
    let compared = 0;
    for (const operation of operations().filter((o) => o.kind === 'query')) {
      const plain = requestFor(operation, victim);
      const nulls = withNulls(operation, victim);
      if (JSON.stringify(plain.variables) === JSON.stringify(nulls.variables)) continue;
      const [given, omitted] = [
        await gql(cp.gatewayUrl, nulls.query, nulls.variables, victim.tenant.owner.token),
        await gql(cp.gatewayUrl, plain.query, plain.variables, victim.tenant.owner.token),
      ];
      compared += 1;
      const codes = (r: typeof given) => JSON.stringify((r.errors ?? []).map((e) => e.extensions?.code));
      // Times in answers (a window ending now, say) differ between two requests.
      const data = (r: typeof given) => JSON.stringify(r.data).replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'T');
      if (codes(given) !== codes(omitted) || data(given) !== data(omitted))
        problems.push(
          `${operation.field.name}: with nulls ${JSON.stringify(given).slice(0, 300)}; without ${JSON.stringify(omitted).slice(0, 200)}`,
        );
    }
    expect(compared).toBeGreaterThanOrEqual(10);
    expect(problems).toEqual([]);
  });
  it('answers every operation fed bad input with a clear error, never a 5xx or INTERNAL_SERVER_ERROR, and changes nothing when it refuses', {
    timeout: 600_000,
  }, async () => {
    const db = new pg.Client({ connectionString: cp.databaseUrl });
    await db.connect();
    const rowCounts = await rowCounter(db);
    const problems: string[] = [];
    let tried = 0;
    let accepted = 0;
    try {
      for (const operation of operations()) {
        const { field, kind } = operation;
        const base = requestFor(operation, victim).variables;
        const declared = field.args.map((arg) => `$${arg.name}: ${String(arg.type)}`);
        const passed = field.args.map((arg) => `${arg.name}: $${arg.name}`);
        const query = `${kind}${declared.length ? `(${declared.join(', ')})` : ''} { ${field.name}${
          passed.length ? `(${passed.join(', ')})` : ''
        } ${selectionOf(field.type)} }`;
        for (const slot of fuzzSlots(field)) {
          for (const bad of badValuesFor(slot.type)) {
            const variables = withValueAt(base, slot.path, bad);
            const before = kind === 'mutation' ? await rowCounts() : undefined;
            const result = await gql(cp.gatewayUrl, query, variables, victim.tenant.owner.token);
            tried += 1;
            const where = `${kind} ${field.name} ${slot.path.join('.')}=${JSON.stringify(bad)?.slice(0, 40)}`;
            const codes = (result.errors ?? []).map((e) => e.extensions?.code);
            if (result.status >= 500) problems.push(`${where}: HTTP ${result.status}`);
            if (
              codes.includes('INTERNAL_SERVER_ERROR') ||
              (result.errors?.length && codes.includes(undefined))
            )
              problems.push(`${where}: ${JSON.stringify(result.errors).slice(0, 200)}`);
            if (!result.errors?.length) {
              accepted += 1;
              if (process.env.ISOLATION_DEBUG) console.log('accepted', where);
              // What an accepted change starts (compiles, bundles) finishes before the next check.
              if (kind === 'mutation') await settled(rowCounts);
            } else if (before) {
              const after = await rowCounts();
              const changed = Object.keys(after).filter((table) => after[table] !== before[table]);
              if (changed.length) problems.push(`${where}: refused, yet changed ${changed.join(', ')}`);
            }
          }
        }
      }
    } finally {
      await db.end();
    }
    console.log(
      `fuzz: ${tried} bad inputs across ${operations().length} operations, ${accepted} accepted as valid`,
    );
    expect(tried).toBeGreaterThan(500);
    expect(problems).toEqual([]);
  });
});
