import { parseInput, TenantDb } from '@meshplane/platform';
import { HTTP_METHODS, MAX_HTTP_PATH_LENGTH } from '@meshplane/protocol';
import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { TelemetrySettingsService } from '../settings/telemetry-settings.service.js';
import type {
  HttpEndpointModel,
  HttpMethodValue,
  HttpRequestConnection,
  HttpRequestFilter,
  HttpRequestModel,
} from './http-request.model.js';
import { type HttpRequestRecordRow, selectHttpRequests } from './http-request-store.js';
import { httpRequestsError } from './http-requests.errors.js';

export interface HttpRequestQuery {
  filter?: HttpRequestFilter | null;
  from?: Date | null;
  to?: Date | null;
  first?: number | null;
  after?: string | null;
}

const QuerySchema = z
  .object({
    filter: z
      .object({
        clusterId: z.uuid().nullish(),
        namespace: z.string().min(1).max(63).nullish(),
        workload: z.string().min(1).max(253).nullish(),
        method: z.enum(HTTP_METHODS).nullish(),
        statusClass: z.int().min(0).max(5).nullish(),
        pathPrefix: z.string().min(1).max(MAX_HTTP_PATH_LENGTH).startsWith('/').nullish(),
      })
      .nullish(),
    from: z.date().nullish(),
    to: z.date().nullish(),
    first: z.int().min(1).max(1_000).nullish(),
    after: z.string().max(512).nullish(),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { error: 'expected from < to', path: ['to'] });

const CursorSchema = z.tuple([z.int().min(0), z.uuid(), z.int().min(1)]);

function encodeCursor(row: HttpRequestRecordRow): string {
  return Buffer.from(JSON.stringify([row.start_time.getTime(), row.cluster_id, Number(row.seq)])).toString(
    'base64url',
  );
}

function decodeCursor(cursor: string): { startMs: number; clusterId: string; seq: number } {
  try {
    const [startMs, clusterId, seq] = CursorSchema.parse(
      JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')),
    );
    return { startMs, clusterId, seq };
  } catch {
    throw httpRequestsError('INVALID_INPUT', { field: 'after' }, 'after: not a cursor this API returned');
  }
}

function end(row: HttpRequestRecordRow, prefix: 'src' | 'dst'): HttpEndpointModel {
  const labels = row[`${prefix}_labels`];
  return {
    cluster: row[`${prefix}_cluster`],
    namespace: row[`${prefix}_namespace`],
    workload: row[`${prefix}_workload`],
    name: row[`${prefix}_name`],
    labels: Object.entries(labels).map(([key, value]) => ({ key, value })),
    ip: row[`${prefix}_ip`],
    port: row[`${prefix}_port`],
  };
}

function modelOf(row: HttpRequestRecordRow): HttpRequestModel {
  return {
    clusterId: row.cluster_id,
    seq: Number(row.seq),
    startTime: row.start_time,
    method: row.method as HttpMethodValue,
    authority: row.authority,
    path: row.path,
    responseCode: row.response_code,
    durationMs: row.duration_ms,
    requestBytes: Number(row.request_bytes),
    responseBytes: Number(row.response_bytes),
    protocol: row.protocol,
    requestId: row.request_id,
    upstreamCluster: row.upstream_cluster,
    source: end(row, 'src'),
    destination: end(row, 'dst'),
  };
}

/**
 * HTTP request queries: filters, a time range and keyset pagination, newest first; tenant-scoped
 * (row-level security backs the filter) and never older than the tenant's retention.
 */
@Injectable()
export class HttpRequestsService {
  constructor(
    private readonly db: TenantDb,
    private readonly settings: TelemetrySettingsService,
  ) {}

  async httpRequests(
    tenantId: string,
    input: HttpRequestQuery,
    now = new Date(),
  ): Promise<HttpRequestConnection> {
    const query = parseInput(QuerySchema, input);
    const first = query.first ?? 100;
    const { retentionDays } = await this.settings.get(tenantId);
    const oldest = new Date(now.getTime() - retentionDays * 86_400_000);
    const filter = query.filter ?? {};
    const rows = await this.db.tenant(tenantId, (manager) =>
      selectHttpRequests(manager, {
        tenantId,
        from: query.from && query.from > oldest ? query.from : oldest,
        to: query.to,
        clusterId: filter.clusterId,
        namespace: filter.namespace,
        workload: filter.workload,
        method: filter.method,
        statusClass: filter.statusClass,
        pathPrefix: filter.pathPrefix,
        ...(query.after ? { before: decodeCursor(query.after) } : {}),
        limit: first + 1,
      }),
    );
    const page = rows.slice(0, first);
    const last = page.at(-1);
    return {
      nodes: page.map(modelOf),
      pageInfo: { hasNextPage: rows.length > first, endCursor: last ? encodeCursor(last) : null },
    };
  }
}
