import { parseInput, TenantDb } from '@meshplane/platform';
import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { TelemetrySettingsService } from '../settings/telemetry-settings.service.js';
import type { ClusterFlowTelemetry, FlowConnection, FlowFilter } from './flow.model.js';
import { type FlowRowRecord, flowModelOf } from './flow-row.js';
import { flowsError } from './flows.errors.js';
import { type GraphNodeRef, parseGraphNodeId } from './graph-node-id.js';

export interface FlowQuery {
  filter?: FlowFilter | null;
  from?: Date | null;
  to?: Date | null;
  first?: number | null;
  after?: string | null;
}

const name = z.string().min(1).max(253);
const QuerySchema = z
  .object({
    filter: z
      .object({
        clusterId: z.uuid().nullish(),
        namespace: z.string().min(1).max(63).nullish(),
        workload: name.nullish(),
        action: z.enum(['allow', 'deny', 'pass', 'log']).nullish(),
        port: z.int().min(0).max(65_535).nullish(),
        protocol: z.string().min(1).max(16).nullish(),
        policy: z.string().min(1).max(317).nullish(),
        edge: z
          .object({ source: z.string().min(1).max(700), destination: z.string().min(1).max(700) })
          .nullish(),
      })
      .nullish(),
    from: z.date().nullish(),
    to: z.date().nullish(),
    first: z.int().min(1).max(1_000).nullish(),
    after: z.string().max(512).nullish(),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { error: 'expected from < to', path: ['to'] });

const CursorSchema = z.tuple([z.int(), z.uuid(), z.int().min(1)]);

function encodeCursor(row: FlowRowRecord): string {
  const cursor = [Math.floor(row.start_time.getTime() / 1_000), row.cluster_id, Number(row.seq)];
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(cursor: string): [number, string, number] {
  try {
    return CursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw flowsError('INVALID_INPUT', { field: 'after' }, 'after: not a cursor this API returned');
  }
}

type Condition = [sql: (placeholder: string) => string, value: unknown];

function nodeOrError(id: string, field: 'source' | 'destination'): GraphNodeRef {
  const node = parseGraphNodeId(id);
  if (node === undefined)
    throw flowsError(
      'INVALID_INPUT',
      { field: `filter.edge.${field}` },
      `filter.edge.${field}: not a service-graph node id`,
    );
  return node;
}

/** A flow end (`src` or `dst`) that the service graph draws as `node` (see its `nodeOf`). */
function endConditions(prefix: 'src' | 'dst', node: GraphNodeRef): Condition[] {
  const type = node.kind === 'host' ? `"${prefix}_type" = 'hep'` : `"${prefix}_type" <> 'hep'`;
  return [
    [(p) => `COALESCE("${prefix}_cluster", '') = ${p} AND ${type}`, node.cluster],
    [(p) => `"${prefix}_namespace" = ${p}`, node.namespace],
    [(p) => `"${prefix}_workload" = ${p}`, node.name],
  ];
}

/** The Service a flow was addressed to, drawn where its backend lives. */
function serviceConditions(node: GraphNodeRef): Condition[] {
  return [
    [(p) => `COALESCE("dst_cluster", '') = ${p}`, node.cluster],
    [(p) => `"dst_service_namespace" = ${p}`, node.namespace],
    [(p) => `"dst_service_name" = ${p}`, node.name],
  ];
}

/**
 * The flows the service graph draws on the edge source → destination: a flow without a Service
 * from end to end; one addressed to a Service on source → Service and on Service → backend.
 */
function edgeConditions(sourceId: string, destinationId: string): Condition[] {
  const source = nodeOrError(sourceId, 'source');
  const destination = nodeOrError(destinationId, 'destination');
  if (source.kind === 'service' && destination.kind === 'service')
    throw flowsError(
      'INVALID_INPUT',
      { field: 'filter.edge.destination' },
      'filter.edge: the service graph draws no edge between two Services',
    );
  if (source.kind === 'service') return [...serviceConditions(source), ...endConditions('dst', destination)];
  if (destination.kind === 'service')
    return [...endConditions('src', source), ...serviceConditions(destination)];
  return [
    ...endConditions('src', source),
    ...endConditions('dst', destination),
    [(p) => `COALESCE("dst_service_name", '') = ${p}`, ''],
  ];
}

/**
 * Flow queries: filters, a time range and keyset pagination, newest first. Always tenant-scoped
 * (row-level security backs the filter) and never older than the tenant's retention, even
 * before the worker's retention sweep has removed the rows.
 */
@Injectable()
export class FlowsService {
  constructor(
    private readonly db: TenantDb,
    private readonly settings: TelemetrySettingsService,
  ) {}

  async flows(tenantId: string, input: FlowQuery, now = new Date()): Promise<FlowConnection> {
    const query = parseInput(QuerySchema, input);
    const first = query.first ?? 100;
    const { retentionDays } = await this.settings.get(tenantId);
    const oldest = new Date(now.getTime() - retentionDays * 86_400_000);
    const from = query.from && query.from > oldest ? query.from : oldest;
    const conditions = ['"tenant_id" = $1', '"start_time" >= $2'];
    const parameters: unknown[] = [tenantId, from];
    const add = (sql: (placeholder: string) => string, value: unknown) => {
      parameters.push(value);
      conditions.push(sql(`$${parameters.length}`));
    };
    if (query.to) add((p) => `"start_time" < ${p}`, query.to);
    const filter = query.filter ?? {};
    if (filter.clusterId) add((p) => `"cluster_id" = ${p}`, filter.clusterId);
    if (filter.namespace) add((p) => `("src_namespace" = ${p} OR "dst_namespace" = ${p})`, filter.namespace);
    if (filter.workload) add((p) => `("src_workload" = ${p} OR "dst_workload" = ${p})`, filter.workload);
    if (filter.action) add((p) => `"action" = ${p}`, filter.action);
    if (filter.port !== undefined && filter.port !== null) add((p) => `"dst_port" = ${p}`, filter.port);
    if (filter.protocol) add((p) => `"protocol" = ${p}`, filter.protocol.toLowerCase());
    if (filter.policy) add((p) => `${p} = ANY("policy_names")`, filter.policy);
    if (filter.edge) {
      for (const [sql, value] of edgeConditions(filter.edge.source, filter.edge.destination)) add(sql, value);
    }
    if (query.after) {
      const [startTime, clusterId, seq] = decodeCursor(query.after);
      parameters.push(startTime, clusterId, seq);
      const n = parameters.length;
      conditions.push(
        `("start_time", "cluster_id", "seq") < (to_timestamp($${n - 2}), $${n - 1}::uuid, $${n})`,
      );
    }
    parameters.push(first + 1);
    const sql = `SELECT * FROM "telemetry"."flows" WHERE ${conditions.join(' AND ')}
      ORDER BY "start_time" DESC, "cluster_id" DESC, "seq" DESC LIMIT $${parameters.length}`;
    const rows: FlowRowRecord[] = await this.db.tenant(tenantId, (manager) => manager.query(sql, parameters));
    const page = rows.slice(0, first);
    const last = page.at(-1);
    return {
      nodes: page.map(flowModelOf),
      pageInfo: { hasNextPage: rows.length > first, endCursor: last ? encodeCursor(last) : null },
    };
  }

  /** What the cluster's agent reported dropping, within the tenant's retention. */
  /** The dropped-flow figures of each cluster asked for, within the retention window, in one query. */
  async clusterTelemetry(
    tenantId: string,
    clusterIds: readonly string[],
    now = new Date(),
  ): Promise<ClusterFlowTelemetry[]> {
    const { retentionDays } = await this.settings.get(tenantId);
    const oldest = new Date(now.getTime() - retentionDays * 86_400_000);
    const rows = (await this.db.tenant(tenantId, (manager) =>
      manager.query(
        `SELECT "cluster_id", COALESCE(sum("dropped"), 0)::float8 AS dropped, max("reported_at") AS last
         FROM "telemetry"."flow_drops"
         WHERE "tenant_id" = $1 AND "cluster_id" = ANY($2::uuid[]) AND "reported_at" >= $3
         GROUP BY "cluster_id"`,
        [tenantId, clusterIds, oldest],
      ),
    )) as { cluster_id: string; dropped: number; last: Date | null }[];
    const byCluster = new Map(rows.map((row) => [row.cluster_id, row]));
    return clusterIds.map((id) => {
      const row = byCluster.get(id);
      return { droppedFlows: row?.dropped ?? 0, lastDropAt: row?.last ?? null };
    });
  }
}
