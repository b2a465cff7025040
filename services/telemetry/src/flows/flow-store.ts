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

/** The key of a `telemetry.flow_rollups` row, as computed from an inserted flow row. */
const ROLLUP_KEY: readonly [column: string, expression: string][] = [
  ['tenant_id', 'i.tenant_id'],
  ['minute', "date_trunc('minute', i.start_time)"],
  ['src_cluster', "COALESCE(i.src_cluster, '')"],
  ['src_namespace', 'i.src_namespace'],
  ['src_workload', 'i.src_workload'],
  ['src_type', 'i.src_type'],
  ['dst_cluster', "COALESCE(i.dst_cluster, '')"],
  ['dst_namespace', 'i.dst_namespace'],
  ['dst_workload', 'i.dst_workload'],
  ['dst_type', 'i.dst_type'],
  ['dst_service', "COALESCE(i.dst_service_namespace || '/' || i.dst_service_name, '')"],
  ['action', 'i.action'],
  ['protocol', 'i.protocol'],
  ['dst_port', 'COALESCE(i.dst_port, 0)'],
];

/** The columns of an inserted flow the rollups are computed from (returned by the insert). */
const ROLLUP_SOURCE_COLUMNS = [
  'tenant_id',
  'start_time',
  'src_cluster',
  'src_namespace',
  'src_workload',
  'src_type',
  'dst_cluster',
  'dst_namespace',
  'dst_workload',
  'dst_type',
  'dst_service_namespace',
  'dst_service_name',
  'action',
  'protocol',
  'dst_port',
  'bytes_in',
  'bytes_out',
  'packets_in',
  'packets_out',
  'connections_started',
  'policy_names',
];

/**
 * One statement for a whole batch: every column travels as one array parameter and `unnest`
 * turns them back into rows (the `pg` driver has no `COPY FROM STDIN` without pg-copy-streams,
 * which is not a dependency). `ON CONFLICT DO NOTHING` on the (cluster, seq, start_time) key
 * makes a re-sent record a no-op. The per-minute rollups are summed from what the insert
 * `RETURNING`s — only the rows actually new — in the same statement, so a re-sent batch adds
 * nothing to them either, and a failed statement adds to neither. Rollup rows are upserted in key
 * order, so two workers adding to the same minutes wait for each other rather than deadlock.
 * Returns how many flow rows were new.
 */
const INSERT_SQL = `
WITH inserted AS (
  INSERT INTO "telemetry"."flows" (${COLUMNS.map(([column]) => `"${column}"`).join(', ')})
  SELECT ${COLUMNS.map(([, , select]) => select).join(', ')}
  FROM unnest(${COLUMNS.map(([, type], index) => `$${index + 1}::${type}`).join(', ')})
    AS t(${COLUMNS.map(([column]) => column).join(', ')})
  ON CONFLICT DO NOTHING
  RETURNING ${ROLLUP_SOURCE_COLUMNS.map((column) => `"${column}"`).join(', ')}
),
rolled AS (
  INSERT INTO "telemetry"."flow_rollups" AS r (${ROLLUP_KEY.map(([column]) => `"${column}"`).join(', ')},
    "bytes_in", "bytes_out", "packets_in", "packets_out", "connections", "flows", "policies")
  SELECT ${ROLLUP_KEY.map(([, expression]) => expression).join(', ')},
    sum(i.bytes_in), sum(i.bytes_out), sum(i.packets_in), sum(i.packets_out),
    sum(i.connections_started), count(*),
    ARRAY(SELECT DISTINCT p FROM unnest(string_to_array(string_agg(array_to_string(i.policy_names, chr(31)), chr(31)), chr(31))) AS p
          WHERE p <> '' ORDER BY p)
  FROM inserted i
  GROUP BY ${ROLLUP_KEY.map((_, index) => index + 1).join(', ')}
  ORDER BY ${ROLLUP_KEY.map((_, index) => index + 1).join(', ')}
  ON CONFLICT ON CONSTRAINT "PK_flow_rollups" DO UPDATE SET
    "bytes_in" = r."bytes_in" + EXCLUDED."bytes_in",
    "bytes_out" = r."bytes_out" + EXCLUDED."bytes_out",
    "packets_in" = r."packets_in" + EXCLUDED."packets_in",
    "packets_out" = r."packets_out" + EXCLUDED."packets_out",
    "connections" = r."connections" + EXCLUDED."connections",
    "flows" = r."flows" + EXCLUDED."flows",
    "policies" = ARRAY(SELECT DISTINCT p FROM unnest(r."policies" || EXCLUDED."policies") AS p ORDER BY p)
  RETURNING 1
)
SELECT (SELECT count(*)::int FROM inserted) AS inserted, (SELECT count(*)::int FROM rolled) AS rolled`;

/** Inserts rows (each must fall in an existing partition); returns the number actually new. */
export async function insertFlowRows(manager: EntityManager, rows: readonly FlowRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const parameters = COLUMNS.map(([, , , value]) => rows.map(value));
  const [{ inserted }] = (await manager.query(INSERT_SQL, parameters)) as [{ inserted: number }];
  return inserted;
}
