import type { TenantInventory } from '@meshplane/events';
import { DEFAULT_TIER } from '@meshplane/policy';
import type { EntityManager } from 'typeorm';
import type { CompilerEndpoint, CompilerInput, CompilerTier } from '../compiler/compiler.types.js';
import { loadEncryptionCompileInput } from '../encryption/encryption-compile-input.js';
import { federationInventory } from '../federated-services/federation-inventory.js';
import { toCalicoPolicy } from '../policies/canonical-policy.js';
import { PolicyEntity } from '../policies/policy.entity.js';
import type { PolicyKind } from '../policies/policy.model.js';
import { TierEntity } from '../tiers/tier.entity.js';
import { loadZoneCompileInput } from '../zones/zone-compile-input.js';

/** Pods of the tenant's clusters as the compiler sees them (pods without an address are left out). */
export function compilerEndpoints(inventory: TenantInventory): CompilerEndpoint[] {
  const endpoints: CompilerEndpoint[] = [];
  for (const { clusterId, object } of inventory.objects) {
    if (object.kind !== 'pod' || object.ips.length === 0) continue;
    endpoints.push({
      clusterId,
      namespace: object.namespace,
      name: object.name,
      labels: object.labels,
      ips: object.ips,
      serviceAccount: object.serviceAccount,
    });
  }
  return endpoints;
}

/** Each cluster's namespaces (names only: Calico itself gives network sets their namespace's labels). */
export function compilerNamespaces(inventory: TenantInventory): { clusterId: string; name: string }[] {
  return inventory.objects
    .filter(({ object }) => object.kind === 'namespace')
    .map(({ clusterId, object }) => ({ clusterId, name: object.name }));
}

/**
 * Everything one tenant's bundles are compiled from: its tiers, policies, compliance zones and
 * encryption settings (read in the caller's transaction) and its clusters and inventory (read from the clusters service).
 */
export async function loadCompilerInput(
  m: EntityManager,
  tenantId: string,
  inventory: TenantInventory,
): Promise<CompilerInput> {
  // One transaction, one connection: these run one after the other anyway.
  const tierRows = await m.find(TierEntity, { where: { tenantId } });
  const policyRows = await m.find(PolicyEntity, { where: { tenantId } });
  const zones = await loadZoneCompileInput(m, tenantId);
  const encryption = await loadEncryptionCompileInput(m, tenantId);
  const tiers: CompilerTier[] = tierRows.map(({ name, order, defaultAction }) => ({
    name,
    order,
    defaultAction,
  }));
  if (!tiers.some((tier) => tier.name === DEFAULT_TIER.name)) {
    tiers.push({ name: DEFAULT_TIER.name, order: DEFAULT_TIER.order, defaultAction: 'Deny' });
  }
  const policies = policyRows.map((row) =>
    toCalicoPolicy(
      {
        kind: row.kind as PolicyKind,
        name: row.name,
        namespace: row.namespace === '' ? null : row.namespace,
      },
      row.spec,
    ),
  );
  return {
    tiers,
    policies,
    clusters: inventory.clusters,
    endpoints: compilerEndpoints(inventory),
    namespaces: compilerNamespaces(inventory),
    zones,
    encryption,
    federation: federationInventory(inventory),
  };
}
