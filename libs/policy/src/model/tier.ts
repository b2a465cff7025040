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
