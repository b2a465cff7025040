import fc from 'fast-check';
import type { SelectorNode } from './ast.js';
import * as ast from './ast.js';
import type { Labels } from './compile.js';

/** Few labels and values, so generated selectors and label maps often meet. */
export const LABELS = ['app', 'env', 'tier', 'k8s.io/name', 'a_b-c', 'constructor', 'toString'] as const;
export const VALUES = ['', 'web', 'db', 'prod', 'we', 'b', 'say "hi"', "it's"] as const;

export const labelArb = fc.constantFrom(...LABELS);
export const valueArb = fc.constantFrom(...VALUES);

export const labelsArb: fc.Arbitrary<Labels> = fc.dictionary(labelArb, valueArb, { maxKeys: 5 });

/** Selector trees in normal form, built through the same constructors the parser uses. */
export const selectorNodeArb: fc.Arbitrary<SelectorNode> = fc.letrec<{ node: SelectorNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(ast.all()),
    fc.constant(ast.global()),
    labelArb.map(ast.has),
    fc
      .tuple(fc.constantFrom('eq', 'ne', 'contains', 'startsWith', 'endsWith' as const), labelArb, valueArb)
      .map(([kind, label, value]) => ast.valueMatch(kind, label, value)),
    fc
      .tuple(fc.boolean(), labelArb, fc.array(valueArb, { maxLength: 6 }))
      .map(([positive, label, values]) =>
        positive ? ast.inSet(label, values) : ast.notInSet(label, values),
      ),
    tie('node').map(ast.not),
    fc.array(tie('node'), { minLength: 2, maxLength: 4 }).map((operands) => ast.and(...operands)),
    fc.array(tie('node'), { minLength: 2, maxLength: 4 }).map((operands) => ast.or(...operands)),
  ),
})).node;
