/** What happens to traffic that reaches the end of a tier without a verdict. */
export type TierDefaultAction = 'Deny' | 'Pass';

/** A Calico tier. Tiers apply in `order` (lower first; none = last; ties by name). */
export interface Tier {
  readonly name: string;
  readonly order?: number;
  /** Default `Deny`. */
  readonly defaultAction?: TierDefaultAction;
}

/** The tier policies belong to when they name none; Calico creates it with this order. */
export const DEFAULT_TIER: Readonly<Required<Tier>> = {
  name: 'default',
  order: 1_000_000,
  defaultAction: 'Deny',
};

/** Calico 3.32's tier for Kubernetes ClusterNetworkPolicy of tier Admin: before `default`. */
export const KUBE_ADMIN_TIER: Readonly<Required<Tier>> = {
  name: 'kube-admin',
  order: 1_000,
  defaultAction: 'Pass',
};

/** Calico 3.32's tier for Kubernetes ClusterNetworkPolicy of tier Baseline: after `default`. */
export const KUBE_BASELINE_TIER: Readonly<Required<Tier>> = {
  name: 'kube-baseline',
  order: 10_000_000,
  defaultAction: 'Pass',
};

/**
 * Calico's built-in tiers, in evaluation order, with the order and default action Calico fixes
 * for each (api/pkg/apis/projectcalico/v3/tier.go: KubeAdminTierOrder, DefaultTierOrder,
 * KubeBaselineTierOrder and the Tier CEL rules; libcalico-go/lib/names/policy.go). `default`
 * always exists; the kube tiers exist only in Calico 3.32 and later, so a world has them only
 * when it lists them.
 */
export const BUILT_IN_TIERS: readonly Readonly<Required<Tier>>[] = [
  KUBE_ADMIN_TIER,
  DEFAULT_TIER,
  KUBE_BASELINE_TIER,
];

/** The built-in tier of that name, if any. */
export function builtInTier(name: string): Readonly<Required<Tier>> | undefined {
  return BUILT_IN_TIERS.find((tier) => tier.name === name);
}

/** Orders tiers as Calico applies them. */
export function compareTiers(a: Tier, b: Tier): number {
  return compareOrders(a.order, b.order) || compareNames(a.name, b.name);
}

/** Lower order first, no order last. */
export function compareOrders(a: number | undefined, b: number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a - b;
}

export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
