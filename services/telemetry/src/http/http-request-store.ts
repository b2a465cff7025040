import { DDSketch } from '@datadog/sketches-js';
import type { EntityManager } from 'typeorm';
import type { HttpRequestRow } from './http-enricher.js';
import { type HttpRollup, type RollupEnd, rollUp, rollupKey } from './http-rollup.js';

/**
 * Every statement on `telemetry.http_requests`. Callers pass a manager of `TenantDb.tenant`, so
 * row-level security scopes each statement to one tenant.
 */

/** The columns of a row as the insert reads them from one JSON document per row. */
const RECORDSET = `r(
  seq bigint, start_ms bigint, method text, authority text, path text, response_code smallint,
  duration_ms integer, request_bytes bigint, response_bytes bigint, protocol text, request_id text,
  upstream_cluster text,
  src_cluster text, src_namespace text, src_workload text, src_name text, src_labels jsonb, src_ip inet, src_port integer,
  dst_cluster text, dst_namespace text, dst_workload text, dst_name text, dst_labels jsonb, dst_ip inet, dst_port integer)`;

const INSERT_SQL = `
  INSERT INTO "telemetry"."http_requests" (
    tenant_id, cluster_id, seq, start_time, method, authority, path, response_code, duration_ms,
    request_bytes, response_bytes, protocol, request_id, upstream_cluster,
    src_cluster, src_namespace, src_workload, src_name, src_labels, src_ip, src_port,
    dst_cluster, dst_namespace, dst_workload, dst_name, dst_labels, dst_ip, dst_port)
  SELECT $1::uuid, $2::uuid, r.seq, to_timestamp(r.start_ms / 1000.0), r.method, r.authority, r.path,
    r.response_code, r.duration_ms, r.request_bytes, r.response_bytes, r.protocol, r.request_id,
    r.upstream_cluster,
    r.src_cluster, r.src_namespace, r.src_workload, r.src_name, r.src_labels, r.src_ip, r.src_port,
    r.dst_cluster, r.dst_namespace, r.dst_workload, r.dst_name, r.dst_labels, r.dst_ip, r.dst_port
  FROM jsonb_to_recordset($3::jsonb) AS ${RECORDSET}
  ON CONFLICT DO NOTHING
  RETURNING seq`;

const ROLLUP_RECORDSET = `r(
  minute_ms bigint, src_cluster text, src_namespace text, src_workload text,
  dst_cluster text, dst_namespace text, dst_workload text, requests bigint,
  status_1xx bigint, status_2xx bigint, status_3xx bigint, status_4xx bigint, status_5xx bigint,
  no_response bigint, sketch text)`;

const UPSERT_ROLLUPS_SQL = `
  INSERT INTO "telemetry"."http_rollups" (tenant_id, minute, src_cluster, src_namespace, src_workload,
    dst_cluster, dst_namespace, dst_workload, requests, status_1xx, status_2xx, status_3xx, status_4xx,
    status_5xx, no_response, latency_sketch)
  SELECT $1::uuid, to_timestamp(r.minute_ms / 1000.0), r.src_cluster, r.src_namespace, r.src_workload,
    r.dst_cluster, r.dst_namespace, r.dst_workload, r.requests, r.status_1xx, r.status_2xx, r.status_3xx,
    r.status_4xx, r.status_5xx, r.no_response, decode(r.sketch, 'base64')
  FROM jsonb_to_recordset($2::jsonb) AS ${ROLLUP_RECORDSET}
  ON CONFLICT (tenant_id, minute, src_cluster, src_namespace, src_workload, dst_cluster, dst_namespace, dst_workload)
  DO UPDATE SET requests = EXCLUDED.requests, status_1xx = EXCLUDED.status_1xx, status_2xx = EXCLUDED.status_2xx,
    status_3xx = EXCLUDED.status_3xx, status_4xx = EXCLUDED.status_4xx, status_5xx = EXCLUDED.status_5xx,
    no_response = EXCLUDED.no_response, latency_sketch = EXCLUDED.latency_sketch`;

/** Rollup rows as `SELECT` returns them. */
interface RollupRecordRow extends EdgeColumns {
  minute: Date;
  requests: string;
  status_1xx: string;
  status_2xx: string;
  status_3xx: string;
  status_4xx: string;
  status_5xx: string;
  no_response: string;
  latency_sketch: Buffer;
}

function rollupOf(row: RollupRecordRow): HttpRollup {
  const source: RollupEnd = {
    cluster: row.src_cluster,
    namespace: row.src_namespace,
    workload: row.src_workload,
  };
  const destination: RollupEnd = {
    cluster: row.dst_cluster,
    namespace: row.dst_namespace,
    workload: row.dst_workload,
  };
  return {
    minute: row.minute.getTime(),
    source,
    destination,
    requests: Number(row.requests),
    byClass: [
      Number(row.no_response),
      Number(row.status_1xx),
      Number(row.status_2xx),
      Number(row.status_3xx),
      Number(row.status_4xx),
      Number(row.status_5xx),
    ],
    latency: DDSketch.fromProto(row.latency_sketch),
  };
}

/**
 * Adds the rollups of newly inserted rows to `telemetry.http_rollups`: sketches cannot be merged
 * in SQL, so the worker reads the minutes it touches, merges in memory and writes the sums back,
 * under a per-tenant transaction lock so two batches of one tenant never merge from the same old row.
 */
async function addHttpRollups(manager: EntityManager, tenantId: string, fresh: readonly HttpRequestRow[]) {
  const rollups = rollUp(fresh);
  if (rollups.length === 0) return;
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('http_rollups:' || $1, 0))`, [tenantId]);
  const minutes = [...new Set(rollups.map((rollup) => rollup.minute))].map((minute) => new Date(minute));
  const stored = (await manager.query(
    `SELECT * FROM "telemetry"."http_rollups" WHERE "tenant_id" = $1 AND "minute" = ANY($2::timestamptz[])`,
    [tenantId, minutes],
  )) as RollupRecordRow[];
  const existing = new Map(stored.map((row) => [rollupKey(rollupOf(row)), row]));
  const documents = rollups.map((rollup) => {
    const old = existing.get(rollupKey(rollup));
    if (old !== undefined) {
      const before = rollupOf(old);
      rollup.requests += before.requests;
      for (let index = 0; index < rollup.byClass.length; index += 1)
        rollup.byClass[index]! += before.byClass[index]!;
      rollup.latency.merge(before.latency);
    }
    return {
      minute_ms: rollup.minute,
      src_cluster: rollup.source.cluster,
      src_namespace: rollup.source.namespace,
      src_workload: rollup.source.workload,
      dst_cluster: rollup.destination.cluster,
      dst_namespace: rollup.destination.namespace,
      dst_workload: rollup.destination.workload,
      requests: rollup.requests,
      no_response: rollup.byClass[0],
      status_1xx: rollup.byClass[1],
      status_2xx: rollup.byClass[2],
      status_3xx: rollup.byClass[3],
      status_4xx: rollup.byClass[4],
      status_5xx: rollup.byClass[5],
      sketch: Buffer.from(rollup.latency.toProto()).toString('base64'),
    };
  });
  await manager.query(UPSERT_ROLLUPS_SQL, [tenantId, JSON.stringify(documents)]);
}

/** The rollups of a tenant's edges over `[from, to)` (whole minutes), at most `limit` rows. */
export async function selectHttpRollups(
  manager: EntityManager,
  tenantId: string,
  from: Date,
  to: Date,
  limit: number,
): Promise<HttpRollup[]> {
  const rows = (await manager.query(
    `SELECT * FROM "telemetry"."http_rollups"
     WHERE "tenant_id" = $1 AND "minute" >= date_trunc('minute', $2::timestamptz) AND "minute" < $3
     ORDER BY "minute" DESC LIMIT $4`,
    [tenantId, from, to, limit],
  )) as RollupRecordRow[];
  return rows.map(rollupOf);
}

/**
 * Inserts rows of one cluster in one statement, skipping those already stored (same cluster and
 * seq: a batch pulled again), and adds just the new ones to the per-minute rollups. Returns how
 * many were new.
 */
export async function insertHttpRequestRows(
  manager: EntityManager,
  tenantId: string,
  clusterId: string,
  rows: readonly HttpRequestRow[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const documents = rows.map((row) => ({
    seq: row.seq,
    start_ms: row.startTime,
    method: row.method,
    authority: row.authority,
    path: row.path,
    response_code: row.responseCode,
    duration_ms: row.durationMs,
    request_bytes: row.requestBytes,
    response_bytes: row.responseBytes,
    protocol: row.protocol,
    request_id: row.requestId,
    upstream_cluster: row.upstreamCluster,
    src_cluster: row.source.cluster,
    src_namespace: row.source.namespace,
    src_workload: row.source.workload,
    src_name: row.source.name,
    src_labels: row.source.labels,
    src_ip: row.source.ip,
    src_port: row.source.port,
    dst_cluster: row.destination.cluster,
    dst_namespace: row.destination.namespace,
    dst_workload: row.destination.workload,
    dst_name: row.destination.name,
    dst_labels: row.destination.labels,
    dst_ip: row.destination.ip,
    dst_port: row.destination.port,
  }));
  const inserted = (await manager.query(INSERT_SQL, [tenantId, clusterId, JSON.stringify(documents)])) as {
    seq: string;
  }[];
  const fresh = new Set(inserted.map(({ seq }) => Number(seq)));
  await addHttpRollups(
    manager,
    tenantId,
    rows.filter((row) => fresh.has(row.seq)),
  );
  return inserted.length;
}

/** A stored row as `SELECT *` returns it. */
export interface HttpRequestRecordRow {
  cluster_id: string;
  seq: string;
  start_time: Date;
  method: string;
  authority: string;
  path: string;
  response_code: number;
  duration_ms: number;
  request_bytes: string;
  response_bytes: string;
  protocol: string;
  request_id: string | null;
  upstream_cluster: string | null;
  src_cluster: string | null;
  src_namespace: string;
  src_workload: string;
  src_name: string;
  src_labels: Record<string, string>;
  src_ip: string;
  src_port: number;
  dst_cluster: string | null;
  dst_namespace: string;
  dst_workload: string;
  dst_name: string;
  dst_labels: Record<string, string>;
  dst_ip: string;
  dst_port: number;
}

export interface HttpRequestSelection {
  tenantId: string;
  from: Date;
  to?: Date | null;
  clusterId?: string | null;
  namespace?: string | null;
  workload?: string | null;
  method?: string | null;
  statusClass?: number | null;
  pathPrefix?: string | null;
  /** Keyset position: rows strictly older than this (start ms, cluster, seq). */
  before?: { startMs: number; clusterId: string; seq: number };
  limit: number;
}

/** A page of rows, newest first (start time, then cluster and seq descending). */
export async function selectHttpRequests(
  manager: EntityManager,
  selection: HttpRequestSelection,
): Promise<HttpRequestRecordRow[]> {
  const conditions = ['"tenant_id" = $1', '"start_time" >= $2'];
  const parameters: unknown[] = [selection.tenantId, selection.from];
  const add = (sql: (placeholder: string) => string, value: unknown) => {
    parameters.push(value);
    conditions.push(sql(`$${parameters.length}`));
  };
  if (selection.to) add((p) => `"start_time" < ${p}`, selection.to);
  if (selection.clusterId) add((p) => `"cluster_id" = ${p}`, selection.clusterId);
  if (selection.namespace)
    add((p) => `("src_namespace" = ${p} OR "dst_namespace" = ${p})`, selection.namespace);
  if (selection.workload) add((p) => `("src_workload" = ${p} OR "dst_workload" = ${p})`, selection.workload);
  if (selection.method) add((p) => `"method" = ${p}`, selection.method);
  if (selection.statusClass !== undefined && selection.statusClass !== null)
    add((p) => `"response_code" / 100 = ${p}`, selection.statusClass);
  if (selection.pathPrefix) add((p) => `left("path", length(${p})) = ${p}`, selection.pathPrefix);
  if (selection.before) {
    const { startMs, clusterId, seq } = selection.before;
    parameters.push(startMs, clusterId, seq);
    const n = parameters.length;
    conditions.push(
      `("start_time", "cluster_id", "seq") < (to_timestamp($${n - 2} / 1000.0), $${n - 1}::uuid, $${n})`,
    );
  }
  parameters.push(selection.limit);
  return manager.query(
    `SELECT * FROM "telemetry"."http_requests" WHERE ${conditions.join(' AND ')}
     ORDER BY "start_time" DESC, "cluster_id" DESC, "seq" DESC LIMIT $${parameters.length}`,
    parameters,
  );
}

/** The two ends of an HTTP edge as rollups and signal queries return them ('' cluster: a bare address). */
export interface EdgeColumns {
  src_cluster: string;
  src_namespace: string;
  src_workload: string;
  dst_cluster: string;
  dst_namespace: string;
  dst_workload: string;
}

export interface ServerErrorSpikeRow extends EdgeColumns {
  minute: Date;
  errors: string;
  requests: string;
  baseline: string;
}

/**
 * Minutes in `[from, to)` in which an edge's 5xx answers were at least `minErrors` and at least
 * `factor` times its average per minute over the `baselineMinutes` before (absent minutes are 0).
 */
export function selectServerErrorSpikes(
  manager: EntityManager,
  tenantId: string,
  window: { from: Date; to: Date },
  rule: { baselineMinutes: number; minErrors: number; factor: number; limit: number },
): Promise<ServerErrorSpikeRow[]> {
  return manager.query(
    `WITH scored AS (
       SELECT *, COALESCE(sum("status_5xx") OVER (
                   PARTITION BY "src_cluster", "src_namespace", "src_workload", "dst_cluster", "dst_namespace", "dst_workload"
                   ORDER BY "minute"
                   RANGE BETWEEN make_interval(mins => $4::int) PRECEDING AND interval '1 minute' PRECEDING), 0)
                 / $4::int::numeric AS baseline
       FROM "telemetry"."http_rollups"
       WHERE "tenant_id" = $1
         AND "minute" >= date_trunc('minute', $2::timestamptz) - make_interval(mins => $4::int) AND "minute" < $3
     )
     SELECT "minute", "src_cluster", "src_namespace", "src_workload", "dst_cluster", "dst_namespace", "dst_workload",
            "status_5xx"::text AS errors, "requests"::text AS requests, round(baseline, 3)::text AS baseline
     FROM scored
     WHERE "minute" >= date_trunc('minute', $2::timestamptz)
       AND "status_5xx" >= $5 AND "status_5xx" >= $6 * GREATEST(baseline, 1)
     ORDER BY "minute" DESC, "status_5xx" DESC
     LIMIT $7`,
    [tenantId, window.from, window.to, rule.baselineMinutes, rule.minErrors, rule.factor, rule.limit],
  );
}

export interface NewHttpPathRow extends EdgeColumns {
  method: string;
  path: string;
  first_seen: Date;
  requests: string;
}

/**
 * Method and path pairs first requested on their edge within `[from, to)`, on edges that had
 * requests between `since` (the retention) and `from`.
 */
export function selectNewHttpPaths(
  manager: EntityManager,
  tenantId: string,
  window: { since: Date; from: Date; to: Date },
  limit: number,
): Promise<NewHttpPathRow[]> {
  const edge = `COALESCE("src_cluster", '') AS src_cluster, "src_namespace", "src_workload",
    COALESCE("dst_cluster", '') AS dst_cluster, "dst_namespace", "dst_workload"`;
  const same = [
    'src_cluster',
    'src_namespace',
    'src_workload',
    'dst_cluster',
    'dst_namespace',
    'dst_workload',
  ]
    .map((column) => `e."${column}" = s."${column}"`)
    .join(' AND ');
  return manager.query(
    `WITH seen AS (
       SELECT ${edge}, "method", "path", min("start_time") AS first_seen,
              count(*) FILTER (WHERE "start_time" >= $3) AS requests
       FROM "telemetry"."http_requests"
       WHERE "tenant_id" = $1 AND "start_time" >= $2 AND "start_time" < $4
       GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
     ),
     before AS (
       SELECT DISTINCT ${edge} FROM "telemetry"."http_requests"
       WHERE "tenant_id" = $1 AND "start_time" >= $2 AND "start_time" < $3
     )
     SELECT s."src_cluster", s."src_namespace", s."src_workload", s."dst_cluster", s."dst_namespace",
            s."dst_workload", s."method", s."path", s.first_seen, s.requests::text AS requests
     FROM seen s JOIN before e ON ${same}
     WHERE s.first_seen >= $3
     ORDER BY s.first_seen DESC
     LIMIT $5`,
    [tenantId, window.since, window.from, window.to, limit],
  );
}
