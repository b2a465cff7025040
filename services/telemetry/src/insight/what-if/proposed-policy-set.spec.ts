import { AppError } from '@meshplane/platform';
import type { Policy } from '@meshplane/policy';
import { describe, expect, it } from 'vitest';
import { applyChanges, ChangesSchema, generatedIdentities, policyFromInput } from './proposed-policy-set.js';

const allowWeb: Policy = {
  kind: 'NetworkPolicy',
  metadata: { name: 'allow-web', namespace: 'shop' },
  spec: { tier: 'default', selector: "app == 'api'", ingress: [{ action: 'Allow' }] },
};
const compliance: Policy = {
  kind: 'GlobalNetworkPolicy',
  metadata: { name: 'meshplane-compliance.isolation.west' },
  spec: { tier: 'meshplane-compliance', selector: 'all()', ingress: [{ action: 'Pass' }] },
};
const current = {
  tiers: [
    { name: 'default', order: 1_000_000, defaultAction: 'Deny' as const },
    { name: 'meshplane-compliance', order: 0, defaultAction: 'Pass' as const },
  ],
  policies: [allowWeb, compliance],
  clusters: [],
};
const generated = generatedIdentities([
  { generated: false, policy: allowWeb },
  { generated: true, policy: compliance },
]);

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error.details.field as string;
    throw error;
  }
  return undefined;
}

describe('policyFromInput', () => {
  it("turns the policies API's CreatePolicyInput into Calico's resource (nulls dropped, numeric ports as numbers)", () => {
    expect(
      policyFromInput({
        kind: 'NetworkPolicy',
        name: 'p',
        namespace: 'shop',
        spec: {
          order: null,
          ingress: [
            {
              action: 'Allow',
              protocol: 'TCP',
              source: null,
              destination: { ports: ['80', '9000:9100', 'http'] },
            },
          ],
        },
      }),
    ).toEqual({
      kind: 'NetworkPolicy',
      metadata: { name: 'p', namespace: 'shop' },
      spec: {
        ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: [80, '9000:9100', 'http'] } }],
      },
    });
  });
});

describe('applyChanges', () => {
  it('replaces a policy of the same identity, adds new ones and removes named ones', () => {
    const changes = ChangesSchema.parse([
      {
        upsert: { kind: 'NetworkPolicy', name: 'allow-web', namespace: 'shop', spec: { selector: 'all()' } },
      },
      { upsert: { kind: 'NetworkPolicy', name: 'allow-web', namespace: 'shop', spec: { staged: true } } },
      { remove: { kind: 'NetworkPolicy', name: 'allow-web', namespace: 'shop', staged: true } },
    ]);
    const proposed = applyChanges(current, generated, changes);
    expect(proposed.policies).toEqual([
      {
        kind: 'NetworkPolicy',
        metadata: { name: 'allow-web', namespace: 'shop' },
        spec: { selector: 'all()' },
      },
      compliance,
    ]);
    expect(current.policies).toEqual([allowWeb, compliance]);
  });

  it('refuses invalid policies, unknown tiers, the compliance tier and unknown removals, naming the field', () => {
    const run = (change: unknown) => () => applyChanges(current, generated, ChangesSchema.parse([change]));
    expect(fieldOf(run({ upsert: { kind: 'NetworkPolicy', name: 'x', spec: {} } }))).toBe(
      'input.changes.0.upsert.namespace',
    );
    expect(
      fieldOf(
        run({ upsert: { kind: 'NetworkPolicy', name: 'x', namespace: 'shop', spec: { tier: 'nope' } } }),
      ),
    ).toBe('input.changes.0.upsert.spec.tier');
    expect(
      fieldOf(
        run({
          upsert: {
            kind: 'GlobalNetworkPolicy',
            name: 'meshplane-compliance.isolation.west',
            spec: { tier: 'meshplane-compliance' },
          },
        }),
      ),
    ).toBe('input.changes.0.upsert.spec.tier');
    expect(
      fieldOf(run({ remove: { kind: 'GlobalNetworkPolicy', name: 'meshplane-compliance.isolation.west' } })),
    ).toBe('input.changes.0.remove');
    expect(fieldOf(run({ remove: { kind: 'NetworkPolicy', name: 'gone', namespace: 'shop' } }))).toBe(
      'input.changes.0.remove',
    );
    expect(ChangesSchema.safeParse([{}]).success).toBe(false);
    expect(ChangesSchema.safeParse([]).success).toBe(false);
  });
});
