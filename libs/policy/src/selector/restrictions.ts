import type { SelectorNode } from './ast.js';

/**
 * What a selector demands of one label for it to possibly match: the label must be present,
 * and, when `values` is set, hold one of those values (an empty list means "can never match").
 */
export interface LabelRestriction {
  readonly mustBePresent: boolean;
  readonly values?: ReadonlySet<string>;
}

/**
 * Necessary conditions on labels for the selector to match (Calico's `LabelRestrictions`). Every
 * label map the selector matches satisfies every entry; the converse need not hold. Negations
 * demand nothing (`!(a == "x")` does not require `a` to be absent).
 */
export function labelRestrictions(node: SelectorNode): ReadonlyMap<string, LabelRestriction> {
  switch (node.kind) {
    case 'eq':
      return new Map([[node.label, { mustBePresent: true, values: new Set([node.value]) }]]);
    case 'in':
      return new Map([[node.label, { mustBePresent: true, values: new Set(node.values) }]]);
    case 'has':
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      return new Map([[node.label, { mustBePresent: true }]]);
    case 'and':
      return node.operands.map(labelRestrictions).reduce(intersectRequirements);
    case 'or':
      return node.operands.map(labelRestrictions).reduce(unionRequirements);
    default:
      return new Map();
  }
}

/** Both sides must hold: keep every label, intersect value sets. */
function intersectRequirements(
  a: ReadonlyMap<string, LabelRestriction>,
  b: ReadonlyMap<string, LabelRestriction>,
): ReadonlyMap<string, LabelRestriction> {
  const out = new Map(a);
  for (const [label, right] of b) {
    const left = out.get(label);
    if (left === undefined) {
      out.set(label, right);
      continue;
    }
    let values = left.values ?? right.values;
    if (left.values !== undefined && right.values !== undefined) {
      values = new Set([...left.values].filter((value) => right.values!.has(value)));
    }
    out.set(label, { mustBePresent: true, ...(values === undefined ? {} : { values }) });
  }
  return out;
}

/** Either side may hold: keep only labels both demand, union value sets. */
function unionRequirements(
  a: ReadonlyMap<string, LabelRestriction>,
  b: ReadonlyMap<string, LabelRestriction>,
): ReadonlyMap<string, LabelRestriction> {
  const out = new Map<string, LabelRestriction>();
  for (const [label, left] of a) {
    const right = b.get(label);
    if (right === undefined) continue;
    if (left.values !== undefined && right.values !== undefined) {
      out.set(label, { mustBePresent: true, values: new Set([...left.values, ...right.values]) });
    } else {
      out.set(label, { mustBePresent: true });
    }
  }
  return out;
}
