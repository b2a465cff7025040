import type { Verdicts } from '@meshplane/policy';
import { traceLines } from '../shared/flow-world.js';

/** Changed flows of one reporting cluster whose new verdict one step decides. */
export interface WhatIfGroupView {
  clusterId: string;
  decidedBy: string;
  changed: number;
  newlyDenied: number;
  newlyAllowed: number;
}

/** At most this many groups are returned, the largest first. */
export const MAX_WHAT_IF_GROUPS = 100;

/**
 * What decides a changed flow under the proposed set: the last trace step of the side (egress
 * or ingress) whose verdict changed, as a trace line (`ingress: tier security: GlobalNetworkPolicy
 * deny-db rule 0 → Deny`), policy names as the API holds them.
 */
export function decidingStep(before: Verdicts, after: Verdicts, names: ReadonlyMap<string, string>): string {
  const side = before.ingress?.action !== after.ingress?.action ? 'ingress' : 'egress';
  const verdict = after[side];
  if (!verdict) return `${side}: no policy applies`;
  return (
    traceLines({ allowed: after.allowed, [side]: verdict }, names).at(-1) ?? `${side}: no policy applies`
  );
}

/** Counts changed flows by reporting cluster and deciding step, largest groups first. */
export class WhatIfGroups {
  private readonly groups = new Map<string, WhatIfGroupView>();

  add(clusterId: string, decidedBy: string, newlyDenied: boolean): void {
    const key = `${clusterId}\u0000${decidedBy}`;
    let group = this.groups.get(key);
    if (!group) {
      group = { clusterId, decidedBy, changed: 0, newlyDenied: 0, newlyAllowed: 0 };
      this.groups.set(key, group);
    }
    group.changed += 1;
    if (newlyDenied) group.newlyDenied += 1;
    else group.newlyAllowed += 1;
  }

  list(): WhatIfGroupView[] {
    return [...this.groups.values()]
      .sort(
        (a, b) =>
          b.changed - a.changed ||
          (a.clusterId < b.clusterId ? -1 : a.clusterId > b.clusterId ? 1 : 0) ||
          (a.decidedBy < b.decidedBy ? -1 : a.decidedBy > b.decidedBy ? 1 : 0),
      )
      .slice(0, MAX_WHAT_IF_GROUPS);
  }
}
