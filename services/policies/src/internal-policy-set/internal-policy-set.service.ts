import type { CompileCluster, PolicySet, PolicySetPolicy, PolicySetZone } from '@meshplane/events';
import { TenantDb } from '@meshplane/platform';
import {
  CLUSTER_LABEL,
  compileSelector,
  DEFAULT_TIER,
  parseSelector,
  printSelector,
  selectorAst,
} from '@meshplane/policy';
import { Injectable } from '@nestjs/common';
import { ClustersInventoryClient } from '../clients/clusters-inventory.client.js';
import { COMPLIANCE_TIER, compliancePolicies, forbiddenPeers } from '../compiler/compliance.js';
import { toCalicoPolicy } from '../policies/canonical-policy.js';
import { PolicyEntity } from '../policies/policy.entity.js';
import type { PolicyKind } from '../policies/policy.model.js';
import { TierEntity } from '../tiers/tier.entity.js';
import { ComplianceZoneEntity } from '../zones/zone.entity.js';

/**
 * A tenant's policy set as one world for `libs/policy`'s evaluator, for the telemetry service's
 * what-if, recommendations and compliance reports: the tenant's tiers and policies as stored,
 * plus what the bundle compiler adds to every cluster — the compliance tier and, per cluster
 * with forbidden peers, its compliance policy (made cluster-specific with a `clusterSelector`
 * naming the cluster, so one set serves every cluster; named `meshplane-compliance.isolation.<cluster>`
 * here only to be unique in the set, while bundles, flows and traces know it as `isolation`).
 * Clusters come from the clusters service.
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
    const clusters = (await this.inventory.tenantInventory(tenantId, [])).clusters;
    return buildPolicySet(tiers, policies, zones, clusters);
  }
}

/** Pure: the policy set from stored rows and the tenant's clusters. */
export function buildPolicySet(
  tierRows: readonly Pick<TierEntity, 'name' | 'order' | 'defaultAction'>[],
  policyRows: readonly Pick<PolicyEntity, 'id' | 'kind' | 'name' | 'namespace' | 'spec'>[],
  zoneRows: readonly Pick<ComplianceZoneEntity, 'id' | 'name' | 'clusterSelector' | 'allowedZones'>[],
  clusters: readonly CompileCluster[],
): PolicySet {
  const tiers: PolicySet['tiers'] = tierRows.map(({ name, order, defaultAction }) => ({
    name,
    order,
    defaultAction,
  }));
  if (!tiers.some((tier) => tier.name === DEFAULT_TIER.name))
    tiers.push({ name: DEFAULT_TIER.name, order: DEFAULT_TIER.order, defaultAction: 'Deny' });
  const policies: PolicySetPolicy[] = policyRows.map((row) => {
    const calico = toCalicoPolicy(
      {
        kind: row.kind as PolicyKind,
        name: row.name,
        namespace: row.namespace === '' ? null : row.namespace,
      },
      row.spec,
    );
    return {
      id: row.id,
      generated: false,
      kind: calico.kind,
      metadata: { ...calico.metadata },
      spec: { ...calico.spec } as Record<string, unknown>,
    };
  });
  const compilerZones = zoneRows.map(({ name, clusterSelector, allowedZones }) => ({
    name,
    clusterSelector,
    allowedZones,
  }));
  const byId = new Map(clusters.map((cluster) => [cluster.id, cluster]));
  const compliance = compliancePolicies(clusters, compilerZones);
  if (compliance.size > 0) {
    tiers.push({
      name: COMPLIANCE_TIER.name,
      order: COMPLIANCE_TIER.order,
      defaultAction: COMPLIANCE_TIER.defaultAction,
    });
    for (const [clusterId, policy] of [...compliance].sort(([a], [b]) =>
      compare(byId.get(a)!.name, byId.get(b)!.name),
    )) {
      const cluster = byId.get(clusterId)!;
      policies.push({
        id: null,
        generated: true,
        kind: 'GlobalNetworkPolicy',
        metadata: { name: `${policy.metadata.name}.${cluster.name}` },
        spec: {
          ...policy.spec,
          clusterSelector: printSelector(selectorAst.eq(CLUSTER_LABEL, cluster.name)),
        } as Record<string, unknown>,
      });
    }
  }
  const forbidden = compilerZones.length === 0 ? new Map() : forbiddenPeers(clusters, compilerZones);
  const zones: PolicySetZone[] = zoneRows.map((zone) => {
    const matches = compileSelector(parseSelector(zone.clusterSelector));
    const members = clusters
      .filter((cluster) => matches({ ...cluster.labels, [CLUSTER_LABEL]: cluster.name }))
      .map((cluster) => cluster.name)
      .sort(compare);
    const pairs = new Map<string, [string, string]>();
    for (const [clusterId, byZone] of forbidden as Map<string, Map<string, string[]>>) {
      const self = byId.get(clusterId)!.name;
      for (const peer of byZone.get(zone.name) ?? []) {
        const pair: [string, string] = compare(self, peer) <= 0 ? [self, peer] : [peer, self];
        pairs.set(pair.join('\u0000'), pair);
      }
    }
    return {
      id: zone.id,
      name: zone.name,
      clusterSelector: zone.clusterSelector,
      allowedZones: [...zone.allowedZones],
      members,
      forbidden: [...pairs.values()].sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1])),
    };
  });
  return { tiers, policies, clusters: [...clusters], zones };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
