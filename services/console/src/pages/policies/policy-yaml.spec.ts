import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/api-error';
import { lineDiff } from './line-diff';
import { inputToYaml, parsePolicyYaml, placeProblems, policyToYaml, yamlPathOf } from './policy-yaml';

const POLICY = `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: db-from-api
  namespace: shop
spec:
  tier: default
  order: 10
  selector: app == 'db'
  clusterSelector: geo == 'eu'
  ingress:
    - action: Allow
      protocol: TCP
      source:
        selector: app == 'api'
      destination:
        ports: [5432, "8000:8100"]
    - action: Deny
`;

describe('the policy editor YAML', () => {
  it('turns Calico YAML into the API input: identity from metadata, int-or-string ports as strings', () => {
    const parsed = parsePolicyYaml(POLICY);
    expect(parsed).toEqual({
      ok: true,
      staged: false,
      input: {
        kind: 'NetworkPolicy',
        name: 'db-from-api',
        namespace: 'shop',
        spec: {
          tier: 'default',
          order: 10,
          selector: "app == 'db'",
          clusterSelector: "geo == 'eu'",
          ingress: [
            {
              action: 'Allow',
              protocol: 'TCP',
              source: { selector: "app == 'api'" },
              destination: { ports: ['5432', '8000:8100'] },
            },
            { action: 'Deny' },
          ],
        },
      },
    });
  });

  it('reads a Staged kind as staged and refuses spec.staged at its line', () => {
    const staged = parsePolicyYaml(POLICY.replace('kind: NetworkPolicy', 'kind: StagedNetworkPolicy'));
    expect(staged.ok && staged.staged).toBe(true);
    expect(staged.ok && staged.input.kind).toBe('NetworkPolicy');
    const bad = parsePolicyYaml(POLICY.replace('  order: 10\n', '  order: 10\n  staged: true\n'));
    expect(bad).toMatchObject({ ok: false, problems: [{ line: 9, field: 'spec.staged' }] });
  });

  it('reports a YAML syntax error at its line', () => {
    const parsed = parsePolicyYaml(POLICY.replace("  selector: app == 'db'", "  selector: [app == 'db'"));
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problems[0]!.line).toBeGreaterThanOrEqual(9);
  });

  it('reports a wrong resource shape at the line of the field', () => {
    const parsed = parsePolicyYaml(
      POLICY.replace('kind: NetworkPolicy', 'kind: Policy').replace(
        '  namespace: shop\n',
        '  namespace: shop\n  labels: {}\n',
      ),
    );
    expect(parsed).toMatchObject({
      ok: false,
      problems: [
        { line: 2, field: 'kind' },
        { line: 6, field: 'metadata.labels' },
      ],
    });
  });

  it('maps the API field paths of createPolicy, what-if and GraphQL coercion to YAML paths', () => {
    expect(yamlPathOf('input.spec.ingress[0].action')).toEqual(['spec', 'ingress', 0, 'action']);
    expect(yamlPathOf('input.changes.0.upsert.spec.ingress.1.source.selector')).toEqual([
      'spec',
      'ingress',
      1,
      'source',
      'selector',
    ]);
    expect(yamlPathOf('input.name')).toEqual(['metadata', 'name']);
    expect(yamlPathOf('input.namespace')).toEqual(['metadata', 'namespace']);
    expect(yamlPathOf('input.kind')).toEqual(['kind']);
  });

  it('places each API problem on the line of its field, or of the nearest field the text has', () => {
    const placed = placeProblems(POLICY, [
      {
        field: 'input.spec.ingress[0].source.selector',
        message: 'input.spec.ingress[0].source.selector: bad selector',
      },
      {
        field: 'input.changes.0.upsert.spec.ingress.1.action',
        message: 'must be one of Allow, Deny, Log, Pass',
      },
      { field: 'input.spec.types', message: 'missing: the spec line' },
      { field: 'input.name', message: 'taken' },
      { message: 'no field' },
    ]);
    expect(placed).toEqual([
      { line: 15, field: 'spec.ingress.0.source.selector', message: 'bad selector' },
      { line: 18, field: 'spec.ingress.1.action', message: 'must be one of Allow, Deny, Log, Pass' },
      { line: 6, field: 'spec.types', message: 'missing: the spec line' },
      { line: 4, field: 'metadata.name', message: 'taken' },
      { line: 1, message: 'no field' },
    ]);
  });

  it('writes a stored policy back as YAML that parses to the same input', () => {
    const parsed = parsePolicyYaml(POLICY);
    if (!parsed.ok) throw new Error('fixture');
    const yaml = policyToYaml({
      ...parsed.input,
      staged: true,
      spec: { ...parsed.input.spec, types: null, staged: true },
    });
    expect(yaml).toContain('kind: StagedNetworkPolicy');
    expect(yaml).not.toContain('types');
    expect(yaml).toContain('ports:\n          - 5432\n          - 8000:8100');
    const again = parsePolicyYaml(yaml);
    expect(again).toEqual({ ...parsed, staged: true });
    expect(inputToYaml({ ...parsed.input, spec: { ...parsed.input.spec, staged: true } })).toBe(yaml);
  });
});

describe('the API errors the editor reads', () => {
  it('lists the policies API issues, parseInput fields, and GraphQL coercion paths', () => {
    const error = ApiError.fromErrors(
      [
        {
          message: 'input.spec.ingress[0].action: must be one of … (and 1 more)',
          extensions: {
            code: 'BAD_USER_INPUT',
            field: 'input.spec.ingress[0].action',
            issues: [
              { path: 'input.spec.ingress[0].action', message: 'must be one of Allow, Deny, Log, Pass' },
              { path: 'input.spec.selector', message: 'bad selector' },
            ],
          },
        },
        {
          message:
            'Variable "$input" got invalid value "Ingres" at "input.spec.types[0]"; Value "Ingres" does not exist in "PolicyType" enum.',
          extensions: { code: 'BAD_USER_INPUT' },
        },
        {
          message:
            'Variable "$input" got invalid value { foo: 1 } at "input.spec"; Field "foo" is not defined by type "PolicySpecInput".',
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ],
      200,
    );
    expect(error.problems).toEqual([
      { field: 'input.spec.ingress[0].action', message: 'must be one of Allow, Deny, Log, Pass' },
      { field: 'input.spec.selector', message: 'bad selector' },
      { field: 'input.spec.types[0]', message: 'Value "Ingres" does not exist in "PolicyType" enum.' },
      { field: 'input.spec.foo', message: 'Field "foo" is not defined by type "PolicySpecInput".' },
    ]);
  });
});

describe('the line diff against the current version', () => {
  it('keeps common lines and marks the removed and added ones', () => {
    expect(lineDiff('a\nb\nc\n', 'a\nx\nc\nd\n')).toEqual([
      { op: ' ', text: 'a' },
      { op: '-', text: 'b' },
      { op: '+', text: 'x' },
      { op: ' ', text: 'c' },
      { op: '+', text: 'd' },
    ]);
    expect(lineDiff('same\n', 'same\n')).toEqual([{ op: ' ', text: 'same' }]);
  });
});
