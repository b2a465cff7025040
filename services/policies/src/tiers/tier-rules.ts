import { DEFAULT_TIER, type Tier as TierSpec, type ValidationIssue, validateTier } from '@meshplane/policy';

/**
 * Names a tenant cannot create: Calico's built-in tiers (`default`, and the `kube-admin` /
 * `kube-baseline` tiers it keeps for Kubernetes AdminNetworkPolicy) and Meshplane's own
 * compliance tier, which must stay above every tenant tier.
 */
export const RESERVED_TIER_NAMES: ReadonlySet<string> = new Set([
  DEFAULT_TIER.name,
  'kube-admin',
  'kube-baseline',
  'meshplane-compliance',
]);

/** Issues of a tier as the tenant gives it, with paths under `prefix` (`input`). */
export function tierIssues(tier: TierSpec, prefix: string): ValidationIssue[] {
  return validateTier(tier).map((issue) => ({ path: `${prefix}.${issue.path}`, message: issue.message }));
}
