import type { EntityManager } from 'typeorm';
import type { HttpRequestRow } from './http-enricher.js';

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

/**
 * Inserts rows of one cluster in one statement, skipping those already stored (same cluster and
 * seq: a batch pulled again). Returns how many were new.
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
  const inserted = (await manager.query(INSERT_SQL, [
    tenantId,
    clusterId,
    JSON.stringify(documents),
  ])) as unknown[];
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
