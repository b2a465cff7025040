/**
 * The selector syntax tree. Nodes are plain immutable objects so that two selectors can be compared
 * with a deep equality check. Build them through the constructors below: they keep every tree in
 * normal form (flattened and sorted `&&`/`||`, sorted and de-duplicated sets, no double negation),
 * which is what makes the printed form canonical.
 */
export type SelectorNode =
  | AllNode
  | GlobalNode
  | HasNode
  | ValueMatchNode
  | SetMatchNode
  | NotNode
  | AndNode
  | OrNode;

/** `all()`: matches everything (also what an empty selector means). */
export interface AllNode {
  readonly kind: 'all';
}

/** `global()`: matches every label map; in a namespaceSelector it means "not in any namespace". */
export interface GlobalNode {
  readonly kind: 'global';
}

/** `has(label)`: the label is present, whatever its value. */
export interface HasNode {
  readonly kind: 'has';
  readonly label: string;
}

/** Operators comparing one label with one string literal. */
export type ValueOperator = 'eq' | 'ne' | 'contains' | 'startsWith' | 'endsWith';

/** `label == "v"`, `label != "v"`, `label contains "v"`, `label starts with "v"`, `label ends with "v"`. */
export interface ValueMatchNode {
  readonly kind: ValueOperator;
  readonly label: string;
  readonly value: string;
}

/** `label in {...}` and `label not in {...}`; `values` is sorted and free of duplicates. */
export interface SetMatchNode {
  readonly kind: 'in' | 'notIn';
  readonly label: string;
  readonly values: readonly string[];
}

/** `!expr`. */
export interface NotNode {
  readonly kind: 'not';
  readonly operand: SelectorNode;
}

/** `a && b && ...`: at least two operands, none of them an `and`, in canonical order. */
export interface AndNode {
  readonly kind: 'and';
  readonly operands: readonly SelectorNode[];
}

/** `a || b || ...`: at least two operands, none of them an `or`, in canonical order. */
export interface OrNode {
  readonly kind: 'or';
  readonly operands: readonly SelectorNode[];
}

const ALL: AllNode = Object.freeze({ kind: 'all' });
const GLOBAL: GlobalNode = Object.freeze({ kind: 'global' });

export function all(): AllNode {
  return ALL;
}

export function global(): GlobalNode {
  return GLOBAL;
}

export function has(label: string): HasNode {
  return { kind: 'has', label };
}

export function valueMatch(kind: ValueOperator, label: string, value: string): ValueMatchNode {
  return { kind, label, value };
}

export function eq(label: string, value: string): ValueMatchNode {
  return valueMatch('eq', label, value);
}

export function ne(label: string, value: string): ValueMatchNode {
  return valueMatch('ne', label, value);
}

export function inSet(label: string, values: Iterable<string>): SetMatchNode {
  return { kind: 'in', label, values: sortedUnique(values) };
}

export function notInSet(label: string, values: Iterable<string>): SetMatchNode {
  return { kind: 'notIn', label, values: sortedUnique(values) };
}

/** Negation; `!!x` collapses to `x`. */
export function not(operand: SelectorNode): SelectorNode {
  return operand.kind === 'not' ? operand.operand : { kind: 'not', operand };
}

export function and(...operands: SelectorNode[]): SelectorNode {
  return junction('and', operands);
}

export function or(...operands: SelectorNode[]): SelectorNode {
  return junction('or', operands);
}

function junction(kind: 'and' | 'or', operands: readonly SelectorNode[]): SelectorNode {
  const flat: SelectorNode[] = [];
  for (const operand of operands) {
    if (operand.kind === kind) flat.push(...operand.operands);
    else flat.push(operand);
  }
  const unique = new Map<string, SelectorNode>();
  for (const operand of flat) unique.set(nodeKey(operand), operand);
  if (unique.size === 0) throw new RangeError(`'${kind}' needs at least one operand`);
  if (unique.size === 1) return unique.values().next().value as SelectorNode;
  const sorted = [...unique.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([, node]) => node);
  return { kind, operands: sorted };
}

function sortedUnique(values: Iterable<string>): readonly string[] {
  return [...new Set(values)].sort(compareStrings);
}

/** Code-unit order, independent of locale, so canonical forms are the same everywhere. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Keys already computed. Nodes never change, so a node's key can be kept for as long as the node
 * lives; without this, every `&&`/`||` level would recompute the keys of its whole subtree and
 * normalising alternating `&&`/`||` nesting would be quadratic in its depth.
 */
const keys = new WeakMap<SelectorNode, string>();

/**
 * A structural key for a node, used to order and de-duplicate operands. It reads like the printed
 * form (so canonical selectors look natural: negations first, compound groups last) but quotes
 * values with JSON, so it is unambiguous and defined even for values no selector could print.
 * Computed once per node (nodes are immutable), so building a tree costs one key per node.
 */
export function nodeKey(node: SelectorNode): string {
  let key = keys.get(node);
  if (key === undefined) {
    key = computeKey(node);
    keys.set(node, key);
  }
  return key;
}

function computeKey(node: SelectorNode): string {
  switch (node.kind) {
    case 'all':
    case 'global':
      return `${node.kind}()`;
    case 'has':
      return `has(${node.label})`;
    case 'eq':
    case 'ne':
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      return `${node.label} ${node.kind} ${JSON.stringify(node.value)}`;
    case 'in':
    case 'notIn':
      return `${node.label} ${node.kind} ${JSON.stringify(node.values)}`;
    case 'not':
      return `!${nodeKey(node.operand)}`;
    case 'and':
    case 'or':
      return `~(${node.operands.map(nodeKey).join(node.kind === 'and' ? ' && ' : ' || ')})`;
  }
}
