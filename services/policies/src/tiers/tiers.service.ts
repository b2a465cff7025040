import { TenantDb } from '@meshplane/platform';
import { Injectable } from '@nestjs/common';
import { TierEntity } from './tier.entity.js';

/** Tiers sorted as Calico evaluates them: by order (none last), then by name. */
export function sortTiers<T extends { order: number | null; name: string }>(tiers: T[]): T[] {
  return [...tiers].sort(
    (a, b) =>
      (a.order ?? Number.POSITIVE_INFINITY) - (b.order ?? Number.POSITIVE_INFINITY) ||
      a.name.localeCompare(b.name),
  );
}

@Injectable()
export class TiersService {
  constructor(private readonly db: TenantDb) {}

  async list(tenantId: string): Promise<TierEntity[]> {
    const rows = await this.db.tenant(tenantId, (manager) =>
      manager.find(TierEntity, { where: { tenantId } }),
    );
    return sortTiers(rows);
  }
}
