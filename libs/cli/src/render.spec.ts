import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { type PlanAnswer, painter, renderPlan, toYaml } from './render.js';

const PLAN: PlanAnswer = {
  id: 'plan-1',
  revision: 'abcdef0123456789',
  hasChanges: true,
  expiresAt: '2026-12-04T22:00:00.000Z',
  entries: [
    { index: 0, action: 'Unchanged', kind: 'Tier', name: 'security', namespace: null, diff: [] },
    {
      index: 1,
      action: 'Update',
      kind: 'GlobalNetworkPolicy',
      name: 'allow-web',
      namespace: null,
      diff: [{ op: 'Replace', path: '/spec/ingress/0/action', before: '"Allow"', after: '"Deny"' }],
    },
    { index: null, action: 'Delete', kind: 'StagedNetworkPolicy', name: 'db', namespace: 'shop', diff: [] },
  ],
  warnings: [
    {
      index: 1,
      kind: 'GlobalNetworkPolicy',
      name: 'allow-web',
      namespace: null,
      message: 'x can never decide',
    },
  ],
  whatIf: {
    evaluated: 10,
    skipped: 0,
    changed: 2,
    newlyDenied: 2,
    newlyAllowed: 0,
    truncated: false,
    flows: [],
    groups: [
      {
        clusterId: 'c1',
        decidedBy: 'ingress: tier default: no rule decided → tier default Deny',
        changed: 2,
        newlyDenied: 2,
        newlyAllowed: 0,
      },
    ],
  },
};

describe('render: plans as text, objects as YAML', () => {
  it('prints changed objects with their place, diffs, warnings, counts and the what-if', () => {
    const text = renderPlan(PLAN, (index) => `policies.yaml:${index * 10 + 1}:1`, painter(false));
    expect(text).toBe(
      [
        '~ update GlobalNetworkPolicy allow-web (policies.yaml:11:1)',
        '    /spec/ingress/0/action: "Allow" → "Deny"',
        '- delete StagedNetworkPolicy shop/db (not in the files: prune)',
        '! warning: x can never decide (policies.yaml:11:1)',
        'Plan: 0 to create, 1 to update, 1 to delete, 1 unchanged.',
        'What-if on recorded flows: 2 of 10 would change (2 newly denied, 0 newly allowed).',
        '    2 in cluster c1, decided by ingress: tier default: no rule decided → tier default Deny',
        'Plan plan-1, against revision abcdef012345, expires 2026-12-04T22:00:00.000Z.',
        '',
      ].join('\n'),
    );
    expect(renderPlan(PLAN, () => undefined, painter(true))).toContain('\u001b[33m~ update');
  });

  it('prints objects as a YAML stream that parses back to them', () => {
    const objects = [
      { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'a' }, spec: { order: 1 } },
      { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'b' }, spec: { order: 2 } },
    ];
    expect(parseAllDocuments(toYaml(objects)).map((d) => d.toJS())).toEqual(objects);
  });
});
