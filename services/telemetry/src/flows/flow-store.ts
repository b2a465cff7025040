import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';
import type { EnrichedEnd, FlowRow } from './flow-enricher.js';

/** Each column of `telemetry.flows` the writer fills: name, array type, value of a row. */
const COLUMNS: readonly [
  column: string,
  arrayType: string,
  select: string,
  value: (row: FlowRow) => unknown,
][] = [
  ['tenant_id', 'uuid[]', 't.tenant_id', (r) => r.tenantId],
  ['cluster_id', 'uuid[]', 't.cluster_id', (r) => r.clusterId],
  ['seq', 'bigint[]', 't.seq', (r) => r.seq],
  ['start_time', 'bigint[]', 'to_timestamp(t.start_time)', (r) => r.startTime],
  ['end_time', 'bigint[]', 'to_timestamp(t.end_time)', (r) => r.endTime],
  ['reporter', 'text[]', 't.reporter', (r) => r.reporter],
  ['action', 'text[]', 't.action', (r) => r.action],
  ['protocol', 'text[]', 't.protocol', (r) => r.protocol],
  ...endColumns('src', (r) => r.source),
  ...endColumns('dst', (r) => r.destination),
  ['dst_service_namespace', 'text[]', 't.dst_service_namespace', (r) => r.service?.namespace ?? null],
  ['dst_service_name', 'text[]', 't.dst_service_name', (r) => r.service?.name ?? null],
  ['dst_service_port_name', 'text[]', 't.dst_service_port_name', (r) => r.service?.portName ?? null],
  ['dst_service_port', 'integer[]', 't.dst_service_port', (r) => r.service?.port ?? null],
  ['policies', 'text[]', 't.policies::jsonb', (r) => JSON.stringify(r.policies)],
  [
    'policy_names',
    'text[]',
    'ARRAY(SELECT jsonb_array_elements_text(t.policy_names::jsonb))',
    (r) => JSON.stringify(r.policyNames),
  ],
  ['bytes_in', 'bigint[]', 't.bytes_in', (r) => r.bytesIn],
  ['bytes_out', 'bigint[]', 't.bytes_out', (r) => r.bytesOut],
  ['packets_in', 'bigint[]', 't.packets_in', (r) => r.packetsIn],
  ['packets_out', 'bigint[]', 't.packets_out', (r) => r.packetsOut],
  ['connections_started', 'integer[]', 't.connections_started', (r) => r.connectionsStarted],
  ['connections_completed', 'integer[]', 't.connections_completed', (r) => r.connectionsCompleted],
  ['connections_live', 'integer[]', 't.connections_live', (r) => r.connectionsLive],
];

function endColumns(prefix: 'src' | 'dst', end: (row: FlowRow) => EnrichedEnd): (typeof COLUMNS)[number][] {
  return [
    [`${prefix}_cluster`, 'text[]', `t.${prefix}_cluster`, (r) => end(r).cluster],
    [`${prefix}_namespace`, 'text[]', `t.${prefix}_namespace`, (r) => end(r).namespace],
    [`${prefix}_workload`, 'text[]', `t.${prefix}_workload`, (r) => end(r).workload],
    [`${prefix}_name`, 'text[]', `t.${prefix}_name`, (r) => end(r).name],
    [`${prefix}_type`, 'text[]', `t.${prefix}_type`, (r) => end(r).type],
    [`${prefix}_labels`, 'text[]', `t.${prefix}_labels::jsonb`, (r) => JSON.stringify(end(r).labels)],
    [`${prefix}_ip`, 'text[]', `t.${prefix}_ip::inet`, (r) => end(r).ip],
    [`${prefix}_port`, 'integer[]', `t.${prefix}_port`, (r) => end(r).port],
    [`${prefix}_service_account`, 'text[]', `t.${prefix}_service_account`, (r) => end(r).serviceAccount],
  ];
}

/**
 * A `telemetry.flow_rollups` row as the worker sums it: the key columns (as in the table's
 * primary key), then the sums, then the policies; each with its array type and its select.
 */
const ROLLUP_COLUMNS: readonly [column: string, arrayType: string, select: string][] = [
  ['tenant_id', 'uuid[]', 't.tenant_id'],
  ['minute', 'bigint[]', 'to_timestamp(t.minute)'],
  ...[
    'src_cluster',
    'src_namespace',
    'src_workload',
    'src_type',
    'dst_cluster',
    'dst_namespace',
    'dst_workload',
    'dst_type',
    'dst_service',
    'action',
    'protocol',
  ].map((column): [string, string, string] => [column, 'text[]', `t.${column}`]),
  ['dst_port', 'integer[]', 't.dst_port'],
  ...['bytes_in', 'bytes_out', 'packets_in', 'packets_out', 'connections', 'flows'].map(
    (column): [string, string, string] => [column, 'bigint[]', `t.${column}`],
  ),
  [
    'policies',
    'text[]',
    'ARRAY(SELECT DISTINCT p FROM jsonb_array_elements_text(t.policies::jsonb) AS p ORDER BY p)',
  ],
];
const ROLLUP_KEY_COLUMNS = 14;

/** Adds a rollup row's sums to the stored row of the same key (`r`). */
const ROLLUP_UPSERT = `
  ON CONFLICT ON CONSTRAINT "PK_flow_rollups" DO UPDATE SET
    "bytes_in" = r."bytes_in" + EXCLUDED."bytes_in",
    "bytes_out" = r."bytes_out" + EXCLUDED."bytes_out",
    "packets_in" = r."packets_in" + EXCLUDED."packets_in",
    "packets_out" = r."packets_out" + EXCLUDED."packets_out",
    "connections" = r."connections" + EXCLUDED."connections",
    "flows" = r."flows" + EXCLUDED."flows",
    "policies" = ARRAY(SELECT DISTINCT p FROM unnest(r."policies" || EXCLUDED."policies") AS p ORDER BY p)`;

/** The flows table's columns in `COPY` order. */
const COPY_COLUMNS = COLUMNS.map(([column]) => `"${column}"`).join(', ');

/** A per-connection temporary table each batch is `COPY`ed into; emptied at every commit. */
const CREATE_STAGING_SQL = `CREATE TEMP TABLE IF NOT EXISTS flow_copy_staging (${COLUMNS.map(
  ([column, arrayType]) => `"${column}" ${arrayType.slice(0, -2)}`,
).join(', ')}) ON COMMIT DELETE ROWS`;

/**
 * From the staging table into `telemetry.flows`, skipping what is stored already; returns the
 * sequence numbers of the rows actually new.
 */
const INSERT_FROM_STAGING_SQL = `
  INSERT INTO "telemetry"."flows" (${COPY_COLUMNS})
  SELECT ${COLUMNS.map(([, , select]) => select).join(', ')}
  FROM pg_temp.flow_copy_staging t
  ON CONFLICT DO NOTHING
  RETURNING "seq"`;

/**
 * Adds the worker's sums to the per-minute rollups: a new key is inserted, a stored one summed
 * into. Rows are upserted in key order, so two workers adding to the same minutes wait for each
 * other rather than deadlock.
 */
const UPSERT_ROLLUPS_SQL = `
  INSERT INTO "telemetry"."flow_rollups" AS r (${ROLLUP_COLUMNS.map(([column]) => `"${column}"`).join(', ')})
  SELECT ${ROLLUP_COLUMNS.map(([, , select]) => select).join(', ')}
  FROM unnest(${ROLLUP_COLUMNS.map(([, type], index) => `$${index + 1}::${type}`).join(', ')})
    AS t(${ROLLUP_COLUMNS.map(([column]) => column).join(', ')})
  ORDER BY ${Array.from({ length: ROLLUP_KEY_COLUMNS }, (_, index) => index + 1).join(', ')}
  ${ROLLUP_UPSERT}`;

/**
 * Stores a batch (each row must fall in an existing partition) and adds it to the per-minute
 * rollups; returns the number of rows actually new. Must run inside a transaction
 * (`TenantDb.tenant`): a failure stores nothing and adds nothing.
 *
 * `COPY … FROM STDIN` streams the batch into a temporary staging table (the fastest way into
 * Postgres), one statement moves it into `telemetry.flows` with `ON CONFLICT DO NOTHING` on the
 * (cluster, seq, start_time) key and returns the sequence numbers actually inserted, and the
 * rollups of just those rows are summed here and upserted in one statement — so a re-sent record
 * adds nothing, to the flows or the rollups. Not `COPY` straight into
 * `telemetry.flows`: `COPY` cannot skip a stored row (a re-sent batch would fail whole), and
 * Postgres refuses `COPY FROM` into a table whose row-level security applies to the role, which
 * the tenant role's does. The staging table lives as long as the pooled connection and is emptied
 * at every commit.
 */
export async function insertFlowRows(manager: EntityManager, rows: readonly FlowRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  await manager.query(CREATE_STAGING_SQL);
  const values = rows.map((row) => COLUMNS.map(([, , , value]) => value(row)));
  await copyInto(
    manager,
    `COPY pg_temp.flow_copy_staging (${COPY_COLUMNS}) FROM STDIN`,
    encodeValues(values),
  );
  const inserted = (await manager.query(INSERT_FROM_STAGING_SQL)) as { seq: string }[];
  if (inserted.length === 0) return 0;
  const fresh =
    inserted.length === rows.length ? rows : onlySeqs(rows, new Set(inserted.map(({ seq }) => Number(seq))));
  await manager.query(UPSERT_ROLLUPS_SQL, rollupGroups(fresh));
  return inserted.length;
}

function onlySeqs(rows: readonly FlowRow[], seqs: ReadonlySet<number>): FlowRow[] {
  return rows.filter((row) => seqs.has(row.seq));
}

/** The rows summed per rollup key; one array per column of ROLLUP_COLUMNS. */
function rollupGroups(rows: readonly FlowRow[]): unknown[][] {
  const groups = new Map<string, { key: unknown[]; sums: number[]; policies: Set<string> }>();
  for (const row of rows) {
    const { source: src, destination: dst, service } = row;
    const key = [
      row.tenantId,
      row.startTime - (row.startTime % 60),
      src.cluster ?? '',
      src.namespace,
      src.workload,
      src.type,
      dst.cluster ?? '',
      dst.namespace,
      dst.workload,
      dst.type,
      service === null ? '' : `${service.namespace}/${service.name}`,
      row.action,
      row.protocol,
      dst.port ?? 0,
    ];
    const id = key.join('\u001f');
    let group = groups.get(id);
    if (group === undefined) {
      group = { key, sums: [0, 0, 0, 0, 0, 0], policies: new Set() };
      groups.set(id, group);
    }
    const { sums } = group;
    sums[0]! += row.bytesIn;
    sums[1]! += row.bytesOut;
    sums[2]! += row.packetsIn;
    sums[3]! += row.packetsOut;
    sums[4]! += row.connectionsStarted;
    sums[5]! += 1;
    for (const name of row.policyRefs) group.policies.add(name);
  }
  const columns: unknown[][] = ROLLUP_COLUMNS.map(() => []);
  for (const { key, sums, policies } of groups.values()) {
    const values = [...key, ...sums, JSON.stringify([...policies])];
    for (let index = 0; index < values.length; index += 1) columns[index]!.push(values[index]);
  }
  return columns;
}

/**
 * The rows straight into `telemetry.flows` with one `COPY`, nothing else: no duplicate check, no
 * rollups, and only as the table owner (row-level security refuses it). The ingest benchmark's
 * baseline; the worker stores through `insertFlowRows`.
 */
export async function copyFlowRowsBare(manager: EntityManager, rows: readonly FlowRow[]): Promise<void> {
  const values = rows.map((row) =>
    COLUMNS.map(([column, , , value]) =>
      column === 'start_time' || column === 'end_time'
        ? new Date(Number(value(row)) * 1_000).toISOString()
        : column === 'policy_names'
          ? pgTextArray(row.policyNames)
          : value(row),
    ),
  );
  await copyInto(manager, `COPY "telemetry"."flows" (${COPY_COLUMNS}) FROM STDIN`, encodeValues(values));
}

/** Streams `text` (COPY text format) into `COPY … FROM STDIN` on the manager's connection. */
async function copyInto(manager: EntityManager, sql: string, text: string): Promise<void> {
  const runner = manager.queryRunner;
  if (runner === undefined) throw new Error('COPY needs the connection of a query runner');
  const client = (await runner.connect()) as PoolClient;
  await pipeline(Readable.from([text]), client.query(copyFrom(sql)));
}

/** Rows in `COPY`'s text format: tab-separated, `\N` for null, backslash escapes. */
function encodeValues(rows: readonly (readonly unknown[])[]): string {
  let text = '';
  for (const row of rows) {
    for (let index = 0; index < row.length; index += 1) {
      if (index > 0) text += '\t';
      text += copyField(row[index]);
    }
    text += '\n';
  }
  return text;
}

function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value !== 'string') return String(value);
  return SPECIAL.test(value) ? value.replace(SPECIALS, escapeChar) : value;
}

/** What `COPY`'s text format escapes with a backslash. */
const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;

function escapeChar(char: string): string {
  return char === '\\' ? '\\\\' : char === '\t' ? '\\t' : char === '\n' ? '\\n' : '\\r';
}

/** A Postgres array literal of text elements, every element quoted. */
function pgTextArray(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/[\\"]/g, (char) => `\\${char}`)}"`).join(',')}}`;
}

/**
 * Records the drops a batch reports (records its agent's full buffer lost, oldest first), keyed
 * by the batch's first sequence number: the same batch pulled again (a lost acknowledgement)
 * carries the same or a larger count and replaces its row rather than adding to it.
 */
export async function recordFlowDrops(
  manager: EntityManager,
  drop: { tenantId: string; clusterId: string; fromSeq: number; dropped: number; at: Date },
): Promise<void> {
  await manager.query(
    `INSERT INTO "telemetry"."flow_drops" ("tenant_id", "cluster_id", "from_seq", "dropped", "reported_at")
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT ON CONSTRAINT "PK_flow_drops" DO UPDATE
       SET "dropped" = GREATEST("flow_drops"."dropped", EXCLUDED."dropped"), "reported_at" = EXCLUDED."reported_at"`,
    [drop.tenantId, drop.clusterId, drop.fromSeq, drop.dropped, drop.at],
  );
}

/**
 * Removes every flow, rollup, drop report and setting of a deleted tenant (run in the tenant's
 * transaction). Answers how many rows went.
 */
export async function purgeTenantTelemetry(manager: EntityManager, tenantId: string): Promise<number> {
  let removed = 0;
  for (const table of [
    'flows',
    'flow_rollups',
    'flow_drops',
    'http_requests',
    'http_rollups',
    'tenant_settings',
  ]) {
    const [, count] = (await manager.query(`DELETE FROM "telemetry"."${table}" WHERE "tenant_id" = $1`, [
      tenantId,
    ])) as [unknown, number];
    removed += count;
  }
  return removed;
}
