import type { Verdicts } from '@meshplane/policy';
import { describe, expect, it } from 'vitest';
import { decidingStep, WhatIfGroups } from './what-if-groups.js';

const allowAll: Verdicts = {
  allowed: true,
  egress: {
    endpoint: 'web',
    direction: 'Egress',
    action: 'Allow',
    trace: [{ kind: 'no-tier-applies', action: 'Allow' }],
  },
  ingress: {
    endpoint: 'db',
    direction: 'Ingress',
    action: 'Allow',
    trace: [{ kind: 'no-tier-applies', action: 'Allow' }],
  },
};
const denyIngress: Verdicts = {
  allowed: false,
  egress: allowAll.egress,
  ingress: {
    endpoint: 'db',
    direction: 'Ingress',
    action: 'Deny',
    trace: [
      {
        kind: 'rule',
        tier: 'security',
        policy: 'security.deny-db',
        policyKind: 'GlobalNetworkPolicy',
        staged: false,
        ruleIndex: 0,
        action: 'Deny',
      },
    ],
  },
};

describe('what-if groups: changed flows by reporting cluster and deciding step', () => {
  it('names the last step of the side whose verdict changed, with the API policy name', () => {
    const names = new Map([['security.deny-db', 'deny-db']]);
    expect(decidingStep(allowAll, denyIngress, names)).toBe(
      'ingress: tier security: GlobalNetworkPolicy deny-db rule 0 → Deny',
    );
    expect(decidingStep(denyIngress, allowAll, names)).toBe('ingress: no tier applies → Allow');
  });

  it('counts per cluster and step, largest first', () => {
    const groups = new WhatIfGroups();
    groups.add('b', 'ingress: x', true);
    groups.add('a', 'ingress: y', false);
    groups.add('b', 'ingress: x', true);
    expect(groups.list()).toEqual([
      { clusterId: 'b', decidedBy: 'ingress: x', changed: 2, newlyDenied: 2, newlyAllowed: 0 },
      { clusterId: 'a', decidedBy: 'ingress: y', changed: 1, newlyDenied: 0, newlyAllowed: 1 },
    ]);
  });
});
