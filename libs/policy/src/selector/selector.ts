import type { SelectorNode } from './ast.js';
import * as ast from './ast.js';
import { compileSelector, type LabelMatcher } from './compile.js';
import { parseSelector } from './parser.js';
import { printSelector } from './print.js';

/** A parsed, compiled selector, with its canonical text for recognising equal selectors. */
export interface Selector {
  /** The text it was parsed from. */
  readonly source: string;
  readonly node: SelectorNode;
  /** The canonical printed form: equal for selectors that differ only in spelling. */
  readonly canonical: string;
  readonly matches: LabelMatcher;
}

/**
 * Parses and compiles a selector.
 * @throws SelectorError when the text is not a valid selector.
 */
export function selector(source: string): Selector {
  return fromNode(parseSelector(source), source);
}

/** Compiles an already built tree. */
export function selectorFromNode(node: SelectorNode, source = printSelector(node)): Selector {
  return fromNode(node, source);
}

function fromNode(node: SelectorNode, source: string): Selector {
  return { source, node, canonical: printSelector(node), matches: compileSelector(node) };
}

/** True if the tree uses `global()` anywhere (only meaningful in a namespaceSelector). */
export function usesGlobal(node: SelectorNode): boolean {
  switch (node.kind) {
    case 'global':
      return true;
    case 'not':
      return usesGlobal(node.operand);
    case 'and':
    case 'or':
      return node.operands.some(usesGlobal);
    default:
      return false;
  }
}

/** Rewrites a tree bottom-up, keeping it in normal form; `visit` may return the node unchanged. */
export function mapSelector(node: SelectorNode, visit: (node: SelectorNode) => SelectorNode): SelectorNode {
  switch (node.kind) {
    case 'not':
      return visit(ast.not(mapSelector(node.operand, visit)));
    case 'and':
      return visit(ast.and(...node.operands.map((operand) => mapSelector(operand, visit))));
    case 'or':
      return visit(ast.or(...node.operands.map((operand) => mapSelector(operand, visit))));
    default:
      return visit(node);
  }
}
