import { DEFAULT_TIER, type Tier } from '@meshplane/policy';
import { describe, expect, it } from 'vitest';
import type { StoredSpec } from '../policies/canonical-policy.js';
import type { LivePolicy } from './change-set-documents.js';
import { shadowedPolicies } from './shadowed-policies.js';

const TIERS: Tier[] = [DEFAULT_TIER, { name: 'security', order: 100, defaultAction: 'Deny' }];

function gnp(name: string, spec: Partial<StoredSpec>, staged = false): LivePolicy {
  return {
    kind: 'GlobalNetworkPolicy',
    namespace: '',
    name,
    staged,
    spec: { tier: 'default', ...spec } as StoredSpec,
  };
}

const web = gnp('allow-web', {
  selector: "app == 'web'",
  types: ['Ingress'],
  ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: [443] } }],
});

const names = (policies: LivePolicy[]) =>
  shadowedPolicies(TIERS, policies).map((s) => `${s.policy.name} by ${s.shadowedBy.name}`);

describe('shadowed policies: policies an earlier policy always decides before', () => {
  it('finds a policy behind an unconditional Deny of an earlier tier for all endpoints', () => {
    const denyAll = gnp('deny-all', {
      tier: 'security',
      selector: 'all()',
      types: ['Ingress'],
      ingress: [{ action: 'Deny' }],
    });
    const found = shadowedPolicies(TIERS, [web, denyAll]);
    expect(found.map((s) => `${s.policy.name} by ${s.shadowedBy.name}`)).toEqual(['allow-web by deny-all']);
    expect(found[0]!.message).toContain('can never decide');
  });

  it('lets Pass shadow only later policies of its own tier', () => {
    const passAll = gnp('pass-all', {
      tier: 'security',
      order: 1,
      selector: 'all()',
      types: ['Ingress'],
      ingress: [{ action: 'Pass' }],
    });
    const sameTier = gnp('same-tier', { ...web.spec, tier: 'security', order: 5 });
    expect(names([web, passAll, sameTier])).toEqual(['same-tier by pass-all']);
  });

  it('does not warn when the earlier rule is conditional, the selector differs, a direction is left, or the earlier one is staged', () => {
    const conditional = gnp('tcp-deny', {
      tier: 'security',
      selector: 'all()',
      types: ['Ingress'],
      ingress: [{ action: 'Deny', protocol: 'TCP' }],
    });
    const other = gnp('other-app', {
      tier: 'security',
      selector: "app == 'db'",
      types: ['Ingress'],
      ingress: [{ action: 'Deny' }],
    });
    const staged = gnp(
      'staged-deny',
      { tier: 'security', selector: 'all()', types: ['Ingress'], ingress: [{ action: 'Deny' }] },
      true,
    );
    expect(names([web, conditional, other, staged])).toEqual([]);
    const both = gnp('both-ways', {
      ...web.spec,
      types: ['Ingress', 'Egress'],
      egress: [{ action: 'Allow' }],
    });
    const denyIngress = gnp('deny-in', {
      tier: 'security',
      selector: 'all()',
      types: ['Ingress'],
      ingress: [{ action: 'Deny' }],
    });
    // Its egress still decides: not shadowed; the ingress-only policy beside it is.
    expect(names([both, denyIngress])).toEqual([]);
    expect(names([web, denyIngress])).toEqual(['allow-web by deny-in']);
  });

  it('takes the same selector, namespace and cluster selector as covering; a namespaced policy covers only its namespace', () => {
    const same = gnp('same-selector', {
      tier: 'security',
      selector: "app == 'web'",
      types: ['Ingress'],
      ingress: [{ action: 'Allow' }],
    });
    const narrowCluster = gnp('eu-only', {
      tier: 'security',
      selector: 'all()',
      clusterSelector: "geo == 'eu'",
      types: ['Ingress'],
      ingress: [{ action: 'Deny' }],
    });
    expect(names([web, same, narrowCluster])).toEqual(['allow-web by same-selector']);
    const namespaced: LivePolicy = {
      kind: 'NetworkPolicy',
      namespace: 'shop',
      name: 'shop-deny',
      staged: false,
      spec: {
        tier: 'security',
        selector: 'all()',
        types: ['Ingress'],
        ingress: [{ action: 'Deny' }],
      } as StoredSpec,
    };
    const shopWeb: LivePolicy = { ...namespaced, name: 'shop-web', spec: { ...web.spec } };
    expect(names([web, namespaced, shopWeb])).toEqual(['shop-web by shop-deny']);
  });
});
