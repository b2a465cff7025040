import { parseInput, TenantDb } from '@meshplane/platform';
import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { FlowActionValue } from '../../flows/flow.model.js';
import { graphNodeId } from '../../flows/graph-node-id.js';
import { selectHttpRollups } from '../../http/http-request-store.js';
import { emptySketch, latencyPercentiles } from '../../http/http-rollup.js';
import { TelemetrySettingsService } from '../../settings/telemetry-settings.service.js';
import { checkedWindow } from '../shared/window.js';
import {
  type FlowRollupModel,
  GraphNodeKind,
  type ServiceGraph,
  type ServiceGraphEdge,
  type ServiceGraphFilter,
  type ServiceGraphNode,
} from './service-graph.model.js';

/** Most edges one graph answers (the heaviest kept). */
export const MAX_GRAPH_EDGES = 5_000;
const MAX_ROLLUP_ROWS = 10_000;
/** Most HTTP rollup rows one graph reads (minutes × edges; the newest kept). */
const MAX_HTTP_ROLLUP_ROWS = 50_000;

const FilterSchema = z
  .object({
    cluster: z.string().min(1).max(253).nullish(),
    namespace: z.string().min(1).max(63).nullish(),
    action: z.enum(['allow', 'deny', 'pass', 'log']).nullish(),
  })
  .nullish();

interface RollupRow {
  minute: Date;
  src_cluster: string;
  src_namespace: string;
  src_workload: string;
  src_type: string;
  dst_cluster: string;
  dst_namespace: string;
  dst_workload: string;
  dst_type: string;
  dst_service: string;
  action: string;
  protocol: string;
  dst_port: number;
  bytes: string;
  packets: string;
  connections: string;
  flows: string;
  policies: string[];
}

/**
 * The node of a flow end. The worker gives an end a cluster only when it is one of the tenant's
 * own endpoints (see `enrichEnd`): a pod or host endpoint of the reporting cluster, or a pod of
 * another cluster — whether the reporter saw it through the network set Meshplane installed for
 * it (`ns`) or as a bare address the worker resolved to the pod (`pvt`, `pub`, `net`). So every
 * end with a cluster that is not a host endpoint is the WORKLOAD node of its workload in its own
 * cluster, whatever the reporting cluster called it, and cross-cluster edges join the nodes the
 * other cluster's own flows draw; only ends without a cluster (outside addresses, network sets
 * of the cluster's own) are NETWORK nodes.
 */
function nodeOf(type: string, cluster: string, namespace: string, name: string): ServiceGraphNode {
  const kind =
    type === 'hep' ? GraphNodeKind.HOST : cluster !== '' ? GraphNodeKind.WORKLOAD : GraphNodeKind.NETWORK;
  return node(kind, cluster, namespace, name);
}

function node(kind: GraphNodeKind, cluster: string, namespace: string, name: string): ServiceGraphNode {
  return {
    id: graphNodeId({ kind, cluster, namespace, name }),
    kind,
    cluster: cluster === '' ? null : cluster,
    namespace,
    name,
  };
}

/**
 * The service graph and rollup queries, both read from `telemetry.flow_rollups` (never from the
 * raw flows), tenant-scoped and clipped to the tenant's retention.
 */
@Injectable()
export class ServiceGraphService {
  constructor(
    private readonly db: TenantDb,
    private readonly settings: TelemetrySettingsService,
  ) {}

  private async rows(
    tenantId: string,
    input: { from?: Date | null; to?: Date | null; filter?: ServiceGraphFilter | null },
    group: boolean,
    now: Date,
  ): Promise<{ window: { from: Date; to: Date }; rows: RollupRow[] }> {
    const filter = parseInput(FilterSchema, input.filter, 'filter') ?? {};
    const { retentionDays } = await this.settings.get(tenantId);
    const window = checkedWindow(input, retentionDays, now);
    const conditions = [
      '"tenant_id" = $1',
      '"minute" >= date_trunc(\'minute\', $2::timestamptz)',
      '"minute" < $3',
    ];
    const parameters: unknown[] = [tenantId, window.from, window.to];
    const add = (sql: (p: string) => string, value: unknown) => {
      parameters.push(value);
      conditions.push(sql(`$${parameters.length}`));
    };
    if (filter.cluster) add((p) => `("src_cluster" = ${p} OR "dst_cluster" = ${p})`, filter.cluster);
    if (filter.namespace) add((p) => `("src_namespace" = ${p} OR "dst_namespace" = ${p})`, filter.namespace);
    if (filter.action) add((p) => `"action" = ${p}`, filter.action);
    const keys = `"src_cluster", "src_namespace", "src_workload", "src_type", "dst_cluster", "dst_namespace",
      "dst_workload", "dst_type", "dst_service", "action", "protocol", "dst_port"`;
    const sql = group
      ? `SELECT ${keys}, sum("bytes_in" + "bytes_out")::text AS bytes, sum("packets_in" + "packets_out")::text AS packets,
           sum("connections")::text AS connections, sum("flows")::text AS flows,
           ARRAY(SELECT DISTINCT p FROM unnest(string_to_array(string_agg(array_to_string("policies", chr(31)), chr(31)), chr(31))) AS p
                 WHERE p <> '' ORDER BY p) AS policies
         FROM "telemetry"."flow_rollups" WHERE ${conditions.join(' AND ')}
         GROUP BY ${keys} ORDER BY sum("bytes_in" + "bytes_out") DESC LIMIT ${MAX_GRAPH_EDGES * 4}`
      : `SELECT "minute", ${keys}, ("bytes_in" + "bytes_out")::text AS bytes, ("packets_in" + "packets_out")::text AS packets,
           "connections"::text AS connections, "flows"::text AS flows, "policies"
         FROM "telemetry"."flow_rollups" WHERE ${conditions.join(' AND ')}
         ORDER BY "minute" DESC, ${keys} LIMIT ${MAX_ROLLUP_ROWS}`;
    const rows: RollupRow[] = await this.db.tenant(tenantId, (m) => m.query(sql, parameters));
    return { window, rows };
  }

  /** Per-minute rollups, newest first (at most 10,000 rows). */
  async rollups(
    tenantId: string,
    input: { from?: Date | null; to?: Date | null; filter?: ServiceGraphFilter | null },
    now = new Date(),
  ): Promise<FlowRollupModel[]> {
    const { rows } = await this.rows(tenantId, input, false, now);
    return rows.map((row) => ({
      minute: row.minute,
      sourceCluster: row.src_cluster || null,
      sourceNamespace: row.src_namespace,
      sourceWorkload: row.src_workload,
      destinationCluster: row.dst_cluster || null,
      destinationNamespace: row.dst_namespace,
      destinationWorkload: row.dst_workload,
      service: row.dst_service || null,
      action: row.action as FlowActionValue,
      protocol: row.protocol,
      port: row.dst_port === 0 ? null : row.dst_port,
      bytes: Number(row.bytes),
      packets: Number(row.packets),
      connections: Number(row.connections),
      flows: Number(row.flows),
      policies: row.policies,
    }));
  }

  /**
   * Nodes are workloads (remote peers resolved to their own cluster's workload), host endpoints,
   * outside networks and Services; a flow addressed to a Service is drawn as two edges, source →
   * Service and Service → the workload behind it, each carrying the flow's traffic.
   */
  async serviceGraph(
    tenantId: string,
    input: { from?: Date | null; to?: Date | null; filter?: ServiceGraphFilter | null },
    now = new Date(),
  ): Promise<ServiceGraph> {
    const { window, rows } = await this.rows(tenantId, input, true, now);
    const nodes = new Map<string, ServiceGraphNode>();
    const edges = new Map<string, ServiceGraphEdge & { policySet: Set<string>; portSet: Set<string> }>();
    const addEdge = (from: ServiceGraphNode, to: ServiceGraphNode) => {
      nodes.set(from.id, from);
      nodes.set(to.id, to);
      const key = `${from.id}\u0000${to.id}`;
      let edge = edges.get(key);
      if (edge === undefined) {
        edge = {
          source: from.id,
          destination: to.id,
          crossCluster: from.cluster !== null && to.cluster !== null && from.cluster !== to.cluster,
          bytes: 0,
          packets: 0,
          connections: 0,
          allowedFlows: 0,
          deniedFlows: 0,
          policies: [],
          ports: [],
          http: null,
          policySet: new Set(),
          portSet: new Set(),
        };
        edges.set(key, edge);
      }
      return edge;
    };
    const addFlowEdge = (from: ServiceGraphNode, to: ServiceGraphNode, row: RollupRow) => {
      const edge = addEdge(from, to);
      edge.bytes += Number(row.bytes);
      edge.packets += Number(row.packets);
      edge.connections += Number(row.connections);
      if (row.action === 'allow') edge.allowedFlows += Number(row.flows);
      if (row.action === 'deny') edge.deniedFlows += Number(row.flows);
      for (const policy of row.policies) edge.policySet.add(policy);
      edge.portSet.add(row.dst_port === 0 ? row.protocol : `${row.protocol}/${row.dst_port}`);
    };
    for (const row of rows) {
      const source = nodeOf(row.src_type, row.src_cluster, row.src_namespace, row.src_workload);
      const destination = nodeOf(row.dst_type, row.dst_cluster, row.dst_namespace, row.dst_workload);
      if (row.dst_service === '') {
        addFlowEdge(source, destination, row);
        continue;
      }
      const slash = row.dst_service.indexOf('/');
      // The Service lives where its backend does.
      const service = node(
        GraphNodeKind.SERVICE,
        row.dst_cluster,
        row.dst_service.slice(0, slash),
        row.dst_service.slice(slash + 1),
      );
      addFlowEdge(source, service, row);
      addFlowEdge(service, destination, row);
    }
    await this.addHttp(tenantId, window, input.filter ?? null, edges, addEdge);
    const ranked = [...edges.values()].sort(
      (a, b) => b.bytes - a.bytes || (a.source + a.destination < b.source + b.destination ? -1 : 1),
    );
    const kept = ranked.slice(0, MAX_GRAPH_EDGES);
    const used = new Set(kept.flatMap((edge) => [edge.source, edge.destination]));
    return {
      from: window.from,
      to: window.to,
      nodes: [...nodes.values()]
        .filter((n) => used.has(n.id))
        .sort(
          (a, b) =>
            compare(a.cluster ?? '', b.cluster ?? '') ||
            compare(a.namespace, b.namespace) ||
            compare(a.id, b.id),
        ),
      edges: kept.map(({ policySet, portSet, ...edge }) => ({
        ...edge,
        policies: [...policySet].sort(),
        ports: [...portSet].sort(),
      })),
      truncated: ranked.length > kept.length || rows.length >= MAX_GRAPH_EDGES * 4,
    };
  }

  /**
   * Puts the HTTP figures on the edges: the window's HTTP rollups of each workload pair merged
   * (counts summed, latency sketches merged), on the edge between the two workload nodes, which
   * is added when the flows drew none (traffic through a Service). With a verdict filter, only
   * edges the flows drew get figures.
   */
  private async addHttp(
    tenantId: string,
    window: { from: Date; to: Date },
    filter: ServiceGraphFilter | null,
    edges: Map<string, HttpEdge>,
    addEdge: (from: ServiceGraphNode, to: ServiceGraphNode) => HttpEdge,
  ): Promise<void> {
    const rollups = await this.db.tenant(tenantId, (m) =>
      selectHttpRollups(m, tenantId, window.from, window.to, MAX_HTTP_ROLLUP_ROWS),
    );
    const sums = new Map<
      string,
      {
        from: ServiceGraphNode;
        to: ServiceGraphNode;
        requests: number;
        byClass: number[];
        latency: ReturnType<typeof emptySketch>;
      }
    >();
    for (const rollup of rollups) {
      const { source: s, destination: d } = rollup;
      if (filter?.cluster && s.cluster !== filter.cluster && d.cluster !== filter.cluster) continue;
      if (filter?.namespace && s.namespace !== filter.namespace && d.namespace !== filter.namespace) continue;
      const from = nodeOf('wep', s.cluster, s.namespace, s.workload);
      const to = nodeOf('wep', d.cluster, d.namespace, d.workload);
      const key = `${from.id}\u0000${to.id}`;
      let sum = sums.get(key);
      if (sum === undefined) {
        sum = { from, to, requests: 0, byClass: [0, 0, 0, 0, 0, 0], latency: emptySketch() };
        sums.set(key, sum);
      }
      sum.requests += rollup.requests;
      for (let index = 0; index < sum.byClass.length; index += 1)
        sum.byClass[index]! += rollup.byClass[index]!;
      sum.latency.merge(rollup.latency);
    }
    const seconds = Math.max(1, (window.to.getTime() - window.from.getTime()) / 1_000);
    for (const [key, sum] of sums) {
      const edge = edges.get(key) ?? (filter?.action ? undefined : addEdge(sum.from, sum.to));
      if (edge !== undefined) edge.http = httpStats(sum, seconds);
    }
  }
}

type HttpEdge = Pick<ServiceGraphEdge, 'http'>;

/** The HTTP figures of merged rollups over a window of `seconds`. */
function httpStats(
  sums: { requests: number; byClass: number[]; latency: ReturnType<typeof emptySketch> },
  seconds: number,
): NonNullable<ServiceGraphEdge['http']> {
  const percentiles = latencyPercentiles(sums.latency)!;
  return {
    requests: sums.requests,
    requestsPerSecond: sums.requests / seconds,
    errorRate: sums.byClass[5]! / sums.requests,
    status2xx: sums.byClass[2]!,
    status3xx: sums.byClass[3]!,
    status4xx: sums.byClass[4]!,
    status5xx: sums.byClass[5]!,
    other: sums.byClass[0]! + sums.byClass[1]!,
    latencyP50Ms: percentiles.p50,
    latencyP95Ms: percentiles.p95,
    latencyP99Ms: percentiles.p99,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
