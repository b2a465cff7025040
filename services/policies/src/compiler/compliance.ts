import {
  CLUSTER_LABEL,
  COMPLIANCE_POLICY_NAME,
  COMPLIANCE_TIER_NAME,
  calicoPolicyName,
  compileSelector,
  type GlobalNetworkPolicy,
  type LabelMatcher,
  parseSelector,
  printSelector,
  type Rule,
  selectorAst,
} from '@meshplane/policy';
import { CompilerError } from './compiler.errors.js';
import type { CompilerCluster, CompilerTier, CompilerZone } from './compiler.types.js';

/**
 * Meshplane's compliance tier: evaluated before every tenant tier (tenant tiers must have an
 * order above {@link COMPLIANCE_TIER_ORDER}, and cannot take its name), so no tenant policy can
 * override it. Traffic its deny rules do not catch is passed on to the tenant's tiers.
 */
export const COMPLIANCE_TIER: CompilerTier = {
  name: COMPLIANCE_TIER_NAME,
  order: 0,
  defaultAction: 'Pass',
};
export const COMPLIANCE_TIER_ORDER = 0;

/**
 * The Calico name of the compliance tier's single policy in a cluster that has forbidden peers
 * (`meshplane-compliance.isolation`); flows, traces and filters name it `isolation`.
 */
export const COMPLIANCE_CALICO_NAME = calicoPolicyName(COMPLIANCE_TIER_NAME, COMPLIANCE_POLICY_NAME);
/** Rule annotation naming the zone a deny rule enforces (shows in flow logs' policy traces). */
export const ZONE_ANNOTATION = 'meshplane.io/compliance-zone';

/**
 * For each cluster, the clusters it must never exchange traffic with, by the zone that forbids it
 * (zone name → sorted cluster names).
 *
 * The rule, for a zone Z with members M(Z) (clusters its `clusterSelector` matches, over the
 * cluster's labels plus `meshplane.io/cluster: <name>`) and allowed zones A(Z) (`allowedZones`):
 * Z forbids traffic between C and D when exactly one of them is in M(Z) and the other one is in
 * no zone of A(Z). Every zone is enforced, so the most restrictive wins: a cluster in two zones
 * may only talk to clusters both zones allow, and zone Z allowing Z' does not open Z' to Z unless
 * Z' allows Z too (or Z' allows everything outside it, which no zone does). Unknown names in
 * `allowedZones` allow nothing. Both ends enforce: C denies D and D denies C.
 */
export function forbiddenPeers(
  clusters: readonly CompilerCluster[],
  zones: readonly CompilerZone[],
): Map<string, Map<string, string[]>> {
  const labels = clusters.map((cluster) => ({ ...cluster.labels, [CLUSTER_LABEL]: cluster.name }));
  const members = new Map<string, Set<string>>();
  for (const zone of zones) {
    const matches = zoneMatcher(zone);
    members.set(zone.name, new Set(clusters.filter((_, i) => matches(labels[i]!)).map((c) => c.id)));
  }
  const result = new Map<string, Map<string, string[]>>(clusters.map((c) => [c.id, new Map()]));
  for (const zone of [...zones].sort((a, b) => compare(a.name, b.name))) {
    const inside = members.get(zone.name)!;
    const allowed = new Set<string>();
    for (const other of zone.allowedZones) for (const id of members.get(other) ?? []) allowed.add(id);
    for (const cluster of clusters) {
      const peers = inside.has(cluster.id)
        ? clusters.filter((d) => !inside.has(d.id) && !allowed.has(d.id))
        : allowed.has(cluster.id)
          ? []
          : clusters.filter((d) => inside.has(d.id));
      if (peers.length === 0) continue;
      result.get(cluster.id)!.set(zone.name, peers.map((d) => d.name).sort(compare));
    }
  }
  return result;
}

/**
 * The compliance policy of one cluster: selector `all()`, for every zone that forbids it peers a
 * Deny rule on ingress from and egress to those clusters' endpoints (matched by
 * `meshplane.io/cluster`, which the remote endpoints' network sets carry), then Pass, so all other
 * traffic goes on to the tenant's tiers. Undefined when the cluster has no forbidden peer.
 */
export function compliancePolicy(
  forbidden: ReadonlyMap<string, readonly string[]>,
): GlobalNetworkPolicy | undefined {
  if (forbidden.size === 0) return undefined;
  const ingress: Rule[] = [];
  const egress: Rule[] = [];
  for (const [zone, peers] of [...forbidden].sort(([a], [b]) => compare(a, b))) {
    const selector = printSelector(selectorAst.inSet(CLUSTER_LABEL, peers));
    const metadata = { annotations: { [ZONE_ANNOTATION]: zone } };
    ingress.push({ action: 'Deny', metadata, source: { selector } });
    egress.push({ action: 'Deny', metadata, destination: { selector } });
  }
  ingress.push({ action: 'Pass' });
  egress.push({ action: 'Pass' });
  return {
    kind: 'GlobalNetworkPolicy',
    metadata: { name: COMPLIANCE_CALICO_NAME },
    spec: {
      tier: COMPLIANCE_TIER_NAME,
      order: 0,
      selector: 'all()',
      types: ['Ingress', 'Egress'],
      ingress,
      egress,
    },
  };
}

/** Each cluster's compliance policy (clusters without forbidden peers are absent). */
export function compliancePolicies(
  clusters: readonly CompilerCluster[],
  zones: readonly CompilerZone[],
): Map<string, GlobalNetworkPolicy> {
  const out = new Map<string, GlobalNetworkPolicy>();
  if (zones.length === 0) return out;
  for (const [clusterId, forbidden] of forbiddenPeers(clusters, zones)) {
    const policy = compliancePolicy(forbidden);
    if (policy !== undefined) out.set(clusterId, policy);
  }
  return out;
}

function zoneMatcher(zone: CompilerZone): LabelMatcher {
  try {
    return compileSelector(parseSelector(zone.clusterSelector));
  } catch (error) {
    throw new CompilerError('INVALID_SELECTOR', `compliance zone ${zone.name}: ${(error as Error).message}`);
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
