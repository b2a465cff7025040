import {
  COMPLIANCE_TIER_NAME,
  DEFAULT_TIER,
  type Tier as TierSpec,
  type ValidationIssue,
  validateTier,
} from '@meshplane/policy';
import { COMPLIANCE_TIER_ORDER } from '../compiler/compliance.js';

/**
 * Calico's built-in tiers (libcalico-go/lib/names/policy.go, ProtectedTierNames: `default`, and
 * the `kube-admin` / `kube-baseline` tiers Calico 3.32 keeps for Kubernetes ClusterNetworkPolicy),
 * which Calico creates itself with fixed orders (@meshplane/policy's BUILT_IN_TIERS).
 */
const CALICO_BUILT_IN_TIER_NAMES: ReadonlySet<string> = new Set([
  DEFAULT_TIER.name,
  'kube-admin',
  'kube-baseline',
]);

/**
 * Why a tenant cannot create a tier of this name, undefined when it can: Calico's built-in tiers,
 * and Meshplane's own compliance tier, which must stay above every tenant tier.
 */
export function reservedNameMessage(name: string): string | undefined {
  if (CALICO_BUILT_IN_TIER_NAMES.has(name)) {
    return `the tier name '${name}' is reserved: it is one of Calico's built-in tiers (default, kube-admin, kube-baseline), which Calico creates itself with a fixed order and default action`;
  }
  if (name === COMPLIANCE_TIER_NAME)
    return `the tier name '${name}' is reserved for Meshplane's compliance tier`;
  return undefined;
}

/**
 * Tenant tiers must come strictly after Meshplane's compliance tier (order
 * {@link COMPLIANCE_TIER_ORDER}), so that no tenant policy is ever evaluated before it.
 */
export function reservedOrderIssue(
  order: number | null | undefined,
  path: string,
): ValidationIssue | undefined {
  if (order === null || order === undefined || !Number.isFinite(order) || order > COMPLIANCE_TIER_ORDER)
    return undefined;
  return {
    path,
    message: `must be greater than ${COMPLIANCE_TIER_ORDER}: orders up to ${COMPLIANCE_TIER_ORDER} are reserved for Meshplane's '${COMPLIANCE_TIER_NAME}' tier, which is evaluated before every tenant tier`,
  };
}

/** Issues of a tier as the tenant gives it, with paths under `prefix` (`input`). */
export function tierIssues(tier: TierSpec, prefix: string): ValidationIssue[] {
  const issues = validateTier(tier).map((issue) => ({
    path: `${prefix}.${issue.path}`,
    message: issue.message,
  }));
  const reserved =
    tier.name === DEFAULT_TIER.name ? undefined : reservedOrderIssue(tier.order, `${prefix}.order`);
  return reserved === undefined ? issues : [...issues, reserved];
}
