import { beforeAll, describe, expect, it } from 'vitest';
import { type CalicoSchemas, loadCalicoSchemas, translateGoPattern } from './calico-schemas.js';

describe('Calico CRD schemas', () => {
  let schemas: CalicoSchemas;
  beforeAll(() => {
    schemas = loadCalicoSchemas();
  });

  const tier = {
    apiVersion: 'projectcalico.org/v3',
    kind: 'Tier',
    metadata: { name: 'security', labels: { 'app.kubernetes.io/managed-by': 'meshplane' } },
    spec: { order: 100, defaultAction: 'Pass' },
  };

  it('loads every Calico kind the compiler and agent write', () => {
    expect([...schemas.kinds].sort()).toEqual([
      'FelixConfiguration',
      'GlobalNetworkPolicy',
      'GlobalNetworkSet',
      'HostEndpoint',
      'NetworkPolicy',
      'NetworkSet',
      'StagedGlobalNetworkPolicy',
      'StagedNetworkPolicy',
      'Tier',
    ]);
  });

  it('accepts a valid object', () => {
    expect(schemas.validate(tier)).toEqual([]);
  });

  it('rejects a value outside an enum', () => {
    expect(schemas.validate({ ...tier, spec: { defaultAction: 'Allow' } })).not.toEqual([]);
  });

  it('rejects unknown fields that Kubernetes would silently prune (e.g. a leaked clusterSelector)', () => {
    const policy = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'GlobalNetworkPolicy',
      metadata: { name: 'p' },
      spec: { selector: 'all()', clusterSelector: "geo == 'eu'" },
    };
    expect(schemas.validate(policy)).toEqual([expect.stringContaining('clusterSelector')]);
    const { clusterSelector: _dropped, ...spec } = policy.spec;
    expect(schemas.validate({ ...policy, spec })).toEqual([]);
  });

  it('rejects a bad name, a missing namespace and invalid labels', () => {
    expect(schemas.validate({ ...tier, metadata: { name: 'Not_DNS' } })).toHaveLength(1);
    const set = { apiVersion: 'projectcalico.org/v3', kind: 'NetworkSet', metadata: { name: 's' }, spec: {} };
    expect(schemas.validate(set)).toEqual([expect.stringContaining('namespace')]);
    expect(schemas.validate({ ...tier, metadata: { name: 'x', labels: { a: 'bad value' } } })).toHaveLength(
      1,
    );
  });

  it('rejects unknown kinds and API versions', () => {
    expect(schemas.validate({ ...tier, kind: 'Pod' })).toEqual(['unknown kind Pod']);
    expect(schemas.validate({ ...tier, apiVersion: 'crd.projectcalico.org/v1' })).toHaveLength(1);
  });

  it("translates Go's (?i) into a case-insensitive pattern instead of dropping it", () => {
    expect(translateGoPattern('^(?i)(Disabled|Strict|Loose)?$')).toEqual({
      source: '^(Disabled|Strict|Loose)?$',
      flags: 'i',
    });
    const felix = (bpfEnforceRPF: string) => ({
      apiVersion: 'projectcalico.org/v3',
      kind: 'FelixConfiguration',
      metadata: { name: 'default' },
      spec: { bpfEnforceRPF },
    });
    expect(schemas.validate(felix('strict'))).toEqual([]);
    expect(schemas.validate(felix('sometimes'))).toEqual([expect.stringContaining('bpfEnforceRPF')]);
  });
});
