import {
  type Policy as CalicoPolicy,
  DEFAULT_TIER,
  policyNameIssue,
  type Tier as TierSpec,
  type ValidationIssue,
  validatePolicySet,
} from '@meshplane/policy';
import { specLimitIssues } from './policy-limits.js';

/**
 * Every issue of one policy (Calico resource paths: `spec.ingress[0].action`) against the tiers
 * given (its tier must be among them): `@meshplane/policy`'s validation, the name rule and the
 * size limits. A name stored with its tier's prefix before that was refused keeps it
 * (`storedTier`).
 */
export function policyIssues(
  resource: CalicoPolicy,
  tiers: readonly TierSpec[],
  storedTier?: string,
): ValidationIssue[] {
  const tierName = resource.spec?.tier;
  const setIssues = validatePolicySet({ tiers, policies: [resource] })
    .filter((issue) => issue.path.startsWith('policies[0].'))
    .map((issue) => ({ path: issue.path.slice('policies[0].'.length), message: issue.message }));
  const tier = typeof tierName === 'string' ? tierName : DEFAULT_TIER.name;
  const nameIssue = tier === storedTier ? undefined : policyNameIssue(tier, resource.metadata.name);
  if (nameIssue !== undefined) setIssues.push({ path: 'metadata.name', message: nameIssue });
  const seen = new Set(setIssues.map((i) => i.path));
  const limitIssues = specLimitIssues(resource.spec).filter((i) => !seen.has(i.path));
  return [...setIssues, ...limitIssues];
}
