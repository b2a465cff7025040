import { describe, expect, it } from 'vitest';
import { globalSet, policy, stagedPolicy, tier } from '../spec-support/config-fixtures.js';
import {
  calicoKindsOf,
  isAtLeast,
  missingKindMessage,
  missingKindOutcomes,
  missingKinds,
  requirementOf,
  type ServedApi,
  servedApiOf,
} from './served-kinds.js';

const CALICO = 'projectcalico.org/v3';

describe('minimum Calico versions', () => {
  it("dates tiers to 3.29 and the three staged policy kinds to 3.30, as Calico's history does", () => {
    expect(requirementOf(CALICO, 'Tier')).toMatchObject({ product: 'Calico', since: '3.29' });
    for (const kind of ['StagedNetworkPolicy', 'StagedGlobalNetworkPolicy', 'StagedKubernetesNetworkPolicy'])
      expect(requirementOf(CALICO, kind), kind).toMatchObject({ product: 'Calico', since: '3.30' });
    expect(requirementOf('discovery.k8s.io/v1', 'EndpointSlice')).toMatchObject({ product: 'Kubernetes' });
  });

  it('compares major.minor, with or without the v, dev builds by their release', () => {
    expect(isAtLeast('v3.30.0', '3.30')).toBe(true);
    expect(isAtLeast('3.31.2', '3.30')).toBe(true);
    expect(isAtLeast('v3.29.9', '3.30')).toBe(false);
    expect(isAtLeast('v4.0.0', '3.30')).toBe(true);
    expect(isAtLeast('v3.30.0-0.dev-5-gabc', '3.30')).toBe(true);
    expect(isAtLeast('master', '3.20')).toBe(false);
  });

  it('gives each release the kinds it serves', () => {
    expect(calicoKindsOf('v3.28.2')).not.toContain('Tier');
    expect(calicoKindsOf('v3.29.1')).toContain('Tier');
    expect(calicoKindsOf('v3.29.1')).not.toContain('StagedNetworkPolicy');
    expect(calicoKindsOf('v3.30.0')).toEqual(expect.arrayContaining(['StagedNetworkPolicy', 'Tier']));
    const kinds = calicoKindsOf('v3.30.0');
    expect(kinds).toEqual([...kinds].sort());
  });
});

describe('the kinds a bundle needs', () => {
  const calico329: ServedApi = servedApiOf('v3.29.2');

  it('finds each missing kind once, and none when every kind is served', () => {
    const bundle = [tier('security'), stagedPolicy('a'), policy('web'), stagedPolicy('b'), globalSet('corp')];
    expect(missingKinds(bundle, calico329)).toEqual([
      {
        apiVersion: CALICO,
        kind: 'StagedNetworkPolicy',
        requirement: expect.objectContaining({ since: '3.30' }),
      },
    ]);
    expect(missingKinds(bundle, servedApiOf('v3.30.1'))).toEqual([]);
  });

  it('names the kind, the release it needs and the release the cluster runs', () => {
    const [missing] = missingKinds([stagedPolicy('a')], calico329);
    expect(missingKindMessage(missing!, calico329)).toBe(
      "StagedNetworkPolicy (projectcalico.org/v3) is not served by this cluster's API server; it needs Calico 3.30 or later (the cluster runs Calico v3.29.2)",
    );
    const unknown: ServedApi = { kinds: calico329.kinds };
    expect(missingKindMessage(missing!, unknown)).toContain("(the cluster's Calico version is unknown)");
  });

  it('says so when the cluster serves no projectcalico.org/v3 at all (no Calico API server)', () => {
    const none: ServedApi = { kinds: new Map([['discovery.k8s.io/v1', new Set(['EndpointSlice'])]]) };
    const missing = missingKinds([tier('security'), policy('web')], none);
    expect(missing.map((m) => m.kind)).toEqual(['Tier', 'NetworkPolicy']);
    expect(missingKindMessage(missing[0]!, none)).toContain('no projectcalico.org/v3 API is served at all');
  });

  it('answers with one failed outcome per object of a missing kind, saying nothing was applied', () => {
    const bundle = [tier('security'), stagedPolicy('a'), policy('web'), stagedPolicy('b', 'db')];
    const outcomes = missingKindOutcomes(bundle, missingKinds(bundle, calico329), calico329, 7);
    expect(outcomes.map((o) => [o.kind, o.namespace, o.name, o.result])).toEqual([
      ['StagedNetworkPolicy', 'shop', 'a', 'failed'],
      ['StagedNetworkPolicy', 'db', 'b', 'failed'],
    ]);
    expect(outcomes[0]?.message).toMatch(
      /needs Calico 3\.30 or later.*; nothing of config version 7 was applied$/,
    );
  });
});
