import type { SelectorNode } from './ast.js';
import type { Labels } from './compile.js';

/**
 * A deliberately plain interpreter that walks the tree on every call. It is the reference the
 * compiled matcher is tested against and the baseline it is benchmarked against; use
 * {@link compileSelector} in real code.
 */
export function interpretSelector(node: SelectorNode, labels: Labels): boolean {
  const value = Object.hasOwn(labels, labelOf(node)) ? labels[labelOf(node)] : undefined;
  switch (node.kind) {
    case 'all':
    case 'global':
      return true;
    case 'has':
      return value !== undefined;
    case 'eq':
      return value !== undefined && value === node.value;
    case 'ne':
      return value === undefined || value !== node.value;
    case 'contains':
      return value === undefined ? false : value.includes(node.value);
    case 'startsWith':
      return value === undefined ? false : value.startsWith(node.value);
    case 'endsWith':
      return value === undefined ? false : value.endsWith(node.value);
    case 'in':
      return value !== undefined && node.values.includes(value);
    case 'notIn':
      return value === undefined || !node.values.includes(value);
    case 'not':
      return !interpretSelector(node.operand, labels);
    case 'and':
      return node.operands.every((operand) => interpretSelector(operand, labels));
    case 'or':
      return node.operands.some((operand) => interpretSelector(operand, labels));
  }
}

function labelOf(node: SelectorNode): string {
  return 'label' in node ? node.label : '';
}
