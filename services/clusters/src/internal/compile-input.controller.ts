import { COMPILE_INPUT_KINDS, CompileInputRequestSchema, type TenantInventory } from '@meshplane/events';
import { InternalEndpoint, TenantDb } from '@meshplane/platform';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { ClusterEntity } from '../clusters/cluster.entity.js';
import { clustersError } from '../clusters/clusters.errors.js';
import { InventoryObjectEntity } from '../inventory/inventory-object.entity.js';

/**
 * What the policy compiler reads from this service: a tenant's live clusters and the parts of
 * their inventory that bundles are compiled from. Revoked clusters are left out, so their
 * endpoints disappear from every other cluster's network sets.
 */
@Controller('internal/v1')
export class CompileInputController {
  constructor(private readonly db: TenantDb) {}

  @Post('compile-input')
  @HttpCode(200)
  @InternalEndpoint('policies', 'policies-worker')
  async compileInput(@Body() body: unknown): Promise<TenantInventory> {
    const parsed = CompileInputRequestSchema.safeParse(body);
    if (!parsed.success) {
      throw clustersError(
        'INVALID_INPUT',
        {},
        `expected {tenantId: UUID, kinds?: [...]}: ${parsed.error.message}`,
      );
    }
    const { tenantId, kinds = COMPILE_INPUT_KINDS } = parsed.data;
    return this.db.tenant(tenantId, async (m) => {
      const clusters = await m.find(ClusterEntity, {
        where: { tenantId, revokedAt: IsNull() },
        order: { name: 'ASC' },
      });
      const live = new Set(clusters.map((cluster) => cluster.id));
      if (kinds.length === 0)
        return { clusters: clusters.map(({ id, name, labels }) => ({ id, name, labels })), objects: [] };
      const rows = await m
        .createQueryBuilder(InventoryObjectEntity, 'o')
        .select(['o.clusterId', 'o.object'])
        .where('o.tenant_id = :tenantId AND o.kind IN (:...kinds)', { tenantId, kinds })
        .orderBy('o.cluster_id')
        .addOrderBy('o.kind')
        .addOrderBy('o.namespace')
        .addOrderBy('o.name')
        .getMany();
      return {
        clusters: clusters.map(({ id, name, labels }) => ({ id, name, labels })),
        objects: rows
          .filter((row) => live.has(row.clusterId))
          .map((row) => ({ clusterId: row.clusterId, object: row.object })),
      };
    });
  }
}
