import type { PolicySet } from '@meshplane/events';
import { TenantDb } from '@meshplane/platform';
import { Injectable } from '@nestjs/common';
import { ClustersInventoryClient } from '../clients/clusters-inventory.client.js';
import { PolicyEntity } from '../policies/policy.entity.js';
import { TierEntity } from '../tiers/tier.entity.js';
import { ComplianceZoneEntity } from '../zones/zone.entity.js';
import { buildPolicySet, policySetNamespaces } from './policy-set.js';

/**
 * A tenant's policy set as one world for `libs/policy`'s evaluator, for the telemetry service's
 * what-if, recommendations and compliance reports: the tenant's tiers and policies as stored,
 * plus what the bundle compiler adds to every cluster — the compliance tier and, per cluster
 * with forbidden peers, its compliance policy (made cluster-specific with a `clusterSelector`
 * naming the cluster, so one set serves every cluster; named `meshplane-compliance.isolation.<cluster>`
 * here only to be unique in the set, while bundles, flows and traces know it as `isolation`).
 * Clusters and their namespaces (with labels) come from the clusters service.
 */
@Injectable()
export class InternalPolicySetService {
  constructor(
    private readonly db: TenantDb,
    private readonly inventory: ClustersInventoryClient,
  ) {}

  async policySet(tenantId: string): Promise<PolicySet> {
    const { tiers, policies, zones } = await this.db.tenant(tenantId, async (m) => ({
      tiers: await m.find(TierEntity, { where: { tenantId }, order: { name: 'ASC' } }),
      policies: await m.find(PolicyEntity, {
        where: { tenantId },
        order: { kind: 'ASC', namespace: 'ASC', name: 'ASC', staged: 'ASC' },
      }),
      zones: await m.find(ComplianceZoneEntity, { where: { tenantId }, order: { name: 'ASC' } }),
    }));
    const inventory = await this.inventory.tenantInventory(tenantId, ['namespace']);
    return {
      ...buildPolicySet(tiers, policies, zones, inventory.clusters),
      namespaces: policySetNamespaces(inventory),
    };
  }
}
