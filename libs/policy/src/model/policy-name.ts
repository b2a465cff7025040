import { DEFAULT_TIER } from './tier.js';

/**
 * One name scheme for policies, accepted everywhere:
 *
 * - A policy's **name** is the one the policies API holds (`Policy.name`), never prefixed with its
 *   tier; flows, traces, graph edges and filters refer to it as `name` (global) or
 *   `namespace/name` (namespaced), with its tier alongside. Meshplane's compliance policy is
 *   {@link COMPLIANCE_POLICY_NAME} in tier {@link COMPLIANCE_TIER_NAME}, in every cluster.
 * - Its **Calico name** is the name of the object in a cluster's bundle: Calico's tier rule,
 *   `<tier>.<name>` outside the `default` tier ({@link calicoPolicyName}). Calico's flow logs
 *   (Goldmane, and the simulated data plane after them) report that name — Goldmane puts
 *   `default.` on policies of the default tier too — and {@link apiPolicyName} turns it back.
 */
export const COMPLIANCE_TIER_NAME = 'meshplane-compliance';
/** The name of the compliance tier's single policy (Calico: `meshplane-compliance.isolation`). */
export const COMPLIANCE_POLICY_NAME = 'isolation';

/**
 * The Calico object name of a policy named `name` in `tier`: `<tier>.<name>` outside the default
 * tier (a stored name that already carries the prefix, from before the policies API refused one,
 * keeps it as is).
 */
export function calicoPolicyName(tier: string, name: string): string {
  if (tier === DEFAULT_TIER.name || name.startsWith(`${tier}.`)) return name;
  return `${tier}.${name}`;
}

/** The name of the policy Calico names `calicoName` in `tier`: without the `<tier>.` prefix. */
export function apiPolicyName(tier: string, calicoName: string): string {
  return calicoName.startsWith(`${tier}.`) && calicoName.length > tier.length + 1
    ? calicoName.slice(tier.length + 1)
    : calicoName;
}

/** How flows, graph edges and filters refer to a policy: `namespace/name`, or `name` when global. */
export function policyReference(name: string, namespace?: string | null): string {
  return namespace ? `${namespace}/${name}` : name;
}

/**
 * Why a policy cannot be named `name` in `tier`, or undefined: a name that starts with `<tier>.`
 * would be its own Calico name and also that of the policy named without the prefix, so the two
 * could not be told apart (in a bundle, or in a flow log).
 */
export function policyNameIssue(tier: string, name: string): string | undefined {
  if (!name.startsWith(`${tier}.`)) return undefined;
  return `must not start with "${tier}.": Calico names the policy's object "${tier}.<name>" itself; name it "${name.slice(tier.length + 1)}"`;
}
