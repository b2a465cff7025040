import { type EndpointByIp, EndpointsByIpRequestSchema } from '@meshplane/events';
import { InternalEndpoint, TenantDb } from '@meshplane/platform';
import type { PodObject } from '@meshplane/protocol';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { clustersError } from '../clusters/clusters.errors.js';

/**
 * Which pods of a tenant hold some addresses: the telemetry worker resolves a flow peer that
 * reached a cluster as a bare IP (no Meshplane network set names it) to its cluster's workload.
 * Pods of revoked clusters are left out. An address can match pods of several clusters when
 * they reuse pod CIDRs; the caller decides what an ambiguous answer means.
 */
@Controller('internal/v1')
export class EndpointsByIpController {
  constructor(private readonly db: TenantDb) {}

  @Post('endpoints-by-ip')
  @HttpCode(200)
  @InternalEndpoint('telemetry-worker')
  async endpointsByIp(@Body() body: unknown): Promise<{ endpoints: EndpointByIp[] }> {
    const parsed = EndpointsByIpRequestSchema.safeParse(body);
    if (!parsed.success) {
      throw clustersError(
        'INVALID_INPUT',
        {},
        `expected {tenantId: UUID, ips: [1..1000 IP addresses]}: ${parsed.error.message}`,
      );
    }
    const { tenantId, ips } = parsed.data;
    const rows: { cluster_id: string; cluster_name: string; object: PodObject }[] = await this.db.tenant(
      tenantId,
      (m) =>
        m.query(
          `SELECT o.cluster_id, c.name AS cluster_name, o.object
           FROM clusters.inventory_objects o
           JOIN clusters.clusters c ON c.id = o.cluster_id AND c.revoked_at IS NULL
           WHERE o.tenant_id = $1 AND o.kind = 'pod' AND o.object -> 'ips' ?| $2::text[]`,
          [tenantId, ips],
        ),
    );
    const wanted = new Set(ips);
    const endpoints: EndpointByIp[] = [];
    for (const { cluster_id, cluster_name, object } of rows) {
      for (const ip of object.ips) {
        if (!wanted.has(ip)) continue;
        endpoints.push({
          ip,
          clusterId: cluster_id,
          clusterName: cluster_name,
          namespace: object.namespace,
          name: object.name,
          labels: object.labels,
          serviceAccount: object.serviceAccount,
        });
      }
    }
    return { endpoints };
  }
}
