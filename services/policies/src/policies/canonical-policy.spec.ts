import { validatePolicy } from '@meshplane/policy';
import { describe, expect, it } from 'vitest';
import { canonicalSpec, inputPath, specView, toCalicoPolicy, withDefaults } from './canonical-policy.js';
import { PolicyKind } from './policy.model.js';
import { PolicyType, RuleAction } from './policy-spec.model.js';

describe('canonical policy specs', () => {
  const input = {
    tier: null,
    selector: "app == 'web'",
    ingress: [
      {
        action: RuleAction.Allow,
        protocol: '6',
        notProtocol: null,
        source: { selector: "app == 'frontend'", nets: null },
        destination: { ports: ['80', '1000:2000', 'http'], notPorts: ['65535'] },
      },
    ],
    egress: null,
  };

  it('drops nulls and stores single ports and numeric protocols as numbers, like Calico', () => {
    expect(canonicalSpec(input)).toEqual({
      selector: "app == 'web'",
      ingress: [
        {
          action: 'Allow',
          protocol: 6,
          source: { selector: "app == 'frontend'" },
          destination: { ports: [80, '1000:2000', 'http'], notPorts: [65535] },
        },
      ],
    });
  });

  it('reads back with ports and protocols as strings', () => {
    const view = specView(canonicalSpec(input));
    expect(view.ingress?.[0]?.destination?.ports).toEqual(['80', '1000:2000', 'http']);
    expect(view.ingress?.[0]?.protocol).toBe('6');
  });

  it("applies Calico's defaults: the default tier and types from the rules present", () => {
    expect(withDefaults(canonicalSpec(input))).toMatchObject({ tier: 'default', types: ['Ingress'] });
    const egressOnly = withDefaults(canonicalSpec({ egress: [{ action: RuleAction.Deny }] }));
    expect(egressOnly.types).toEqual(['Egress']);
    const explicit = withDefaults(canonicalSpec({ types: [PolicyType.Egress, PolicyType.Ingress] }));
    expect(explicit.types).toEqual(['Egress', 'Ingress']);
  });

  it('keeps a namespace given to a global policy so that validation reports it', () => {
    const policy = toCalicoPolicy({ kind: PolicyKind.GlobalNetworkPolicy, name: 'p', namespace: 'shop' }, {});
    expect(validatePolicy(policy).map((i) => i.path)).toEqual(['metadata.namespace']);
  });

  it('maps resource paths to the GraphQL input that carried them', () => {
    expect(inputPath('metadata.name')).toBe('input.name');
    expect(inputPath('metadata.namespace')).toBe('input.namespace');
    expect(inputPath('spec.ingress[0].destination.ports[1]')).toBe(
      'input.spec.ingress[0].destination.ports[1]',
    );
    expect(inputPath('kind')).toBe('input.kind');
  });
});
