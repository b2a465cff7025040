import type { PolicySetZone } from '@meshplane/events';

/** SQL condition: the flow's two clusters are one of the pairs in $4/$5 (either direction). */
export const FORBIDDEN_PAIR_SQL = `(LEAST("src_cluster", "dst_cluster"), GREATEST("src_cluster", "dst_cluster"))
  IN (SELECT a, b FROM unnest($4::text[], $5::text[]) AS p(a, b))`;

export function pairParameters(zone: Pick<PolicySetZone, 'forbidden'>): [string[], string[]] {
  return [zone.forbidden.map(([a]) => a), zone.forbidden.map(([, b]) => b)];
}
