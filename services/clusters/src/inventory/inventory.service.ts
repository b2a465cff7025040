import { parseInput, TenantDb } from '@meshplane/platform';
import type { PodObject, ServiceObject } from '@meshplane/protocol';
import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { clustersError } from '../clusters/clusters.errors.js';
import type { ClusterService, Endpoint, PageInfo } from './inventory.model.js';
import { InventoryObjectEntity } from './inventory-object.entity.js';

/** The arguments as GraphQL gives them: null, like absent, means not given. */
export interface InventoryQuery {
  clusterId?: string | null;
  namespace?: string | null;
  first?: number | null;
  after?: string | null;
}

const QuerySchema = z.object({
  clusterId: z.uuid().nullish(),
  namespace: z.string().max(63).nullish(),
  first: z
    .number()
    .int()
    .min(1)
    .max(500)
    .nullish()
    .transform((first) => first ?? 100),
  after: z.string().max(512).nullish(),
});

const CursorSchema = z.tuple([z.string(), z.string(), z.string()]);

function encodeCursor(row: InventoryObjectEntity): string {
  return Buffer.from(JSON.stringify([row.clusterId, row.namespace, row.name])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string, string] {
  try {
    return CursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw clustersError('INVALID_INPUT', { field: 'after' }, 'after: not a cursor this API returned');
  }
}

const labelList = (labels: Record<string, string>) =>
  Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => ({ key, value }));

/** Read side of the per-cluster inventory: pods as endpoints, and services, cursor-paginated. */
@Injectable()
export class InventoryService {
  constructor(private readonly db: TenantDb) {}

  async endpoints(
    tenantId: string,
    query: InventoryQuery,
  ): Promise<{ nodes: Endpoint[]; pageInfo: PageInfo }> {
    const page = await this.page(tenantId, 'pod', query);
    return {
      pageInfo: page.pageInfo,
      nodes: page.rows.map((row) => {
        const pod = row.object as PodObject;
        return {
          clusterId: row.clusterId,
          namespace: pod.namespace,
          name: pod.name,
          labels: labelList(pod.labels),
          ips: pod.ips,
          nodeName: pod.nodeName,
          serviceAccount: pod.serviceAccount,
          ready: pod.ready,
        };
      }),
    };
  }

  async services(
    tenantId: string,
    query: InventoryQuery,
  ): Promise<{ nodes: ClusterService[]; pageInfo: PageInfo }> {
    const page = await this.page(tenantId, 'service', query);
    return {
      pageInfo: page.pageInfo,
      nodes: page.rows.map((row) => {
        const service = row.object as ServiceObject;
        return {
          clusterId: row.clusterId,
          namespace: service.namespace,
          name: service.name,
          labels: labelList(service.labels),
          ports: service.ports.map((p) => ({ name: p.name ?? null, port: p.port, protocol: p.protocol })),
          selector: service.selector ? labelList(service.selector) : null,
          clusterIPs: service.clusterIPs,
        };
      }),
    };
  }

  private async page(tenantId: string, kind: 'pod' | 'service', input: InventoryQuery) {
    const { clusterId, namespace, first, after } = parseInput(QuerySchema, input);
    const rows = await this.db.tenant(tenantId, (m) => {
      const q = m
        .createQueryBuilder(InventoryObjectEntity, 'o')
        .where('o.tenant_id = :tenantId AND o.kind = :kind', { tenantId, kind })
        .orderBy('o.cluster_id')
        .addOrderBy('o.namespace')
        .addOrderBy('o.name')
        .limit(first + 1);
      if (clusterId) q.andWhere('o.cluster_id = :clusterId', { clusterId });
      if (namespace) q.andWhere('o.namespace = :namespace', { namespace });
      if (after) {
        const [c, n, name] = decodeCursor(after);
        q.andWhere('(o.cluster_id, o.namespace, o.name) > (:c, :n, :name)', { c, n, name });
      }
      return q.getMany();
    });
    const hasNextPage = rows.length > first;
    const pageRows = rows.slice(0, first);
    const last = pageRows.at(-1);
    return { rows: pageRows, pageInfo: { hasNextPage, endCursor: last ? encodeCursor(last) : null } };
  }
}
