import {
  compareNames,
  compareOrders,
  compareTiers,
  DEFAULT_TIER,
  effectivePolicyTypes,
  type Rule,
  type Tier as TierSpec,
} from '@meshplane/policy';
import type { StoredSpec } from '../policies/canonical-policy.js';
import type { LivePolicy } from './change-set-documents.js';

/** A policy that can never decide a packet, and the earlier policy that decides first. */
export interface ShadowedPolicy {
  policy: LivePolicy;
  shadowedBy: LivePolicy;
  message: string;
}

type Direction = 'Ingress' | 'Egress';

/** The fields of a rule that narrow what it matches (anything but these makes it conditional). */
const UNCONDITIONAL_KEYS = new Set(['action', 'metadata']);

function isUnconditional(rule: Rule): boolean {
  return Object.keys(rule).every((key) => UNCONDITIONAL_KEYS.has(key));
}

function isAll(selector: string | undefined): boolean {
  return selector === undefined || selector.trim() === '' || selector.trim() === 'all()';
}

/** Same text, or `earlier` selects everything: then `earlier` selects every endpoint `later` does. */
function covers(earlier: string | undefined, later: string | undefined): boolean {
  return isAll(earlier) || earlier?.trim() === later?.trim();
}

/** Whether policy `q` applies to every endpoint policy `p` applies to, in every cluster `p` goes to. */
function appliesToAllOf(q: LivePolicy, p: LivePolicy): boolean {
  const qs = q.spec as StoredSpec & { namespaceSelector?: string; serviceAccountSelector?: string };
  const ps = p.spec as StoredSpec & { namespaceSelector?: string; serviceAccountSelector?: string };
  if (q.kind === 'NetworkPolicy' && (p.kind !== 'NetworkPolicy' || p.namespace !== q.namespace)) return false;
  if (q.kind === 'GlobalNetworkPolicy' && !covers(qs.namespaceSelector, ps.namespaceSelector)) return false;
  return (
    covers(qs.selector, ps.selector) &&
    covers(qs.serviceAccountSelector, ps.serviceAccountSelector) &&
    covers(qs.clusterSelector, ps.clusterSelector)
  );
}

/** The action an unconditional first rule takes for a direction, if the policy has one. */
function firstUnconditional(policy: LivePolicy, direction: Direction): string | undefined {
  if (!effectivePolicyTypes(policy.spec).includes(direction)) return undefined;
  const rules = (direction === 'Ingress' ? policy.spec.ingress : policy.spec.egress) ?? [];
  const decisive = rules.find((rule) => rule.action !== 'Log');
  const beforeIt = rules.slice(0, decisive ? rules.indexOf(decisive) : 0);
  if (!decisive || !isUnconditional(decisive) || beforeIt.some((rule) => !isUnconditional(rule)))
    return undefined;
  return decisive.action;
}

function label(policy: LivePolicy): string {
  const name = policy.namespace === '' ? policy.name : `${policy.namespace}/${policy.name}`;
  return `${policy.kind} ${name} (tier ${policy.spec.tier ?? DEFAULT_TIER.name})`;
}

/**
 * Enforced policies that can never decide anything: for every direction they have, an earlier
 * enforced policy that applies to all of their endpoints (same or broader selector, namespace and
 * cluster selector) takes every packet first with an unconditional rule — Allow or Deny ends
 * evaluation, Pass ends the tier, so Pass shadows only later policies of its own tier. A sound
 * but partial check: it proves shadowing only where the earlier selector is the same text or
 * `all()`, and does not look at compliance zones.
 */
export function shadowedPolicies(
  tiers: readonly TierSpec[],
  policies: readonly LivePolicy[],
): ShadowedPolicy[] {
  const tierRank = new Map([...tiers].sort(compareTiers).map((tier, rank) => [tier.name, rank]));
  const rankOf = (p: LivePolicy) => tierRank.get(p.spec.tier ?? DEFAULT_TIER.name) ?? Number.MAX_SAFE_INTEGER;
  const enforced = policies
    .filter((p) => !p.staged)
    .sort(
      (a, b) =>
        rankOf(a) - rankOf(b) ||
        compareOrders(a.spec.order, b.spec.order) ||
        compareNames(`${a.name}/${a.namespace}/${a.kind}`, `${b.name}/${b.namespace}/${b.kind}`),
    );
  const out: ShadowedPolicy[] = [];
  enforced.forEach((policy, position) => {
    const directions = effectivePolicyTypes(policy.spec) as readonly Direction[];
    let by: LivePolicy | undefined;
    const decided = directions.every((direction) =>
      enforced.slice(0, position).some((earlier) => {
        const action = firstUnconditional(earlier, direction);
        if (action === undefined || !appliesToAllOf(earlier, policy)) return false;
        if (action === 'Pass' && rankOf(earlier) !== rankOf(policy)) return false;
        by ??= earlier;
        return true;
      }),
    );
    if (decided && by && directions.length > 0)
      out.push({
        policy,
        shadowedBy: by,
        message: `${label(policy)} can never decide: ${label(by)}, evaluated before it, takes every ${directions.join(' and ').toLowerCase()} packet of the endpoints it selects with an unconditional rule`,
      });
  });
  return out;
}

/** A finding as the API shows it (`PolicyWarning`). */
export function warningView({ policy, message }: ShadowedPolicy) {
  return {
    kind: policy.kind,
    name: policy.name,
    namespace: policy.namespace === '' ? null : policy.namespace,
    message,
  };
}
