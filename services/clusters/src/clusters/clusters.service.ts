import { TenantDb } from '@meshplane/platform';
import { Injectable } from '@nestjs/common';
import { ClusterEntity } from './cluster.entity.js';
import type { Cluster } from './cluster.model.js';

export function toClusterModel(entity: ClusterEntity): Cluster {
  const labels = Object.entries(entity.labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => ({ key, value }));
  return { id: entity.id, name: entity.name, labels, createdAt: entity.createdAt };
}

@Injectable()
export class ClustersService {
  constructor(private readonly db: TenantDb) {}

  async list(tenantId: string): Promise<Cluster[]> {
    const rows = await this.db.tenant(tenantId, (manager) =>
      manager.find(ClusterEntity, { where: { tenantId }, order: { name: 'ASC' } }),
    );
    return rows.map(toClusterModel);
  }
}
