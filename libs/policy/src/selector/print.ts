import type { SelectorNode, ValueOperator } from './ast.js';
import { SelectorError } from './selector.errors.js';

const OPERATOR_TEXT: Record<ValueOperator, string> = {
  eq: '==',
  ne: '!=',
  contains: 'contains',
  startsWith: 'starts with',
  endsWith: 'ends with',
};

/**
 * Prints a selector tree in canonical form: double quotes unless the value contains one, single
 * spaces around operators, parentheses only where precedence needs them. Two selectors that parse
 * to the same tree print identically, and `parseSelector(printSelector(x))` equals `x`.
 *
 * @throws SelectorError UNPRINTABLE_VALUE for a value containing both quote characters (the
 * language has no escapes, so no selector text could express it).
 */
export function printSelector(node: SelectorNode): string {
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
      return `${node.label} ${OPERATOR_TEXT[node.kind]} ${quote(node.value)}`;
    case 'in':
    case 'notIn':
      return `${node.label} ${node.kind === 'in' ? 'in' : 'not in'} {${node.values.map(quote).join(', ')}}`;
    case 'not':
      return `!${printOperand(node.operand)}`;
    case 'and':
      return node.operands.map(printOperand).join(' && ');
    case 'or':
      return node.operands
        .map((operand) => (operand.kind === 'and' ? printSelector(operand) : printOperand(operand)))
        .join(' || ');
  }
}

/** Operands of `!` and `&&` need parentheses around `&&`/`||`; `||` operands only around `||`. */
function printOperand(node: SelectorNode): string {
  return node.kind === 'and' || node.kind === 'or' ? `(${printSelector(node)})` : printSelector(node);
}

function quote(value: string): string {
  if (!value.includes('"')) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  throw new SelectorError(
    'UNPRINTABLE_VALUE',
    -1,
    `the value ${JSON.stringify(value)} contains both quote characters and cannot be written in a selector`,
  );
}
