import { describe, expect, it } from 'vitest';
import * as ast from './ast.js';
import { printSelector } from './print.js';

/**
 * Builds `l0 == "x" && (l1 == "x" || (l2 == "x" && (...)))` inside out, as the parser does, and
 * counts the work spent on keys. Every node is wrapped in a proxy that counts reads of `label` and
 * `operands`: computing a node's key reads one of them once, and nothing else in building a tree
 * of alternating `&&`/`||` reads them, so the count is the number of keys computed.
 */
function alternating(levels: number): { node: ast.SelectorNode; keysComputed: number } {
  let keysComputed = 0;
  const counted = (node: ast.SelectorNode): ast.SelectorNode =>
    new Proxy(node, {
      get(target, property, receiver) {
        if (property === 'label' || property === 'operands') keysComputed++;
        return Reflect.get(target, property, receiver);
      },
    });
  let node = counted(ast.eq(`l${levels}`, 'x'));
  for (let i = levels - 1; i >= 0; i--) {
    const junction = i % 2 === 0 ? ast.and : ast.or;
    node = counted(junction(counted(ast.eq(`l${i}`, 'x')), node));
  }
  return { node, keysComputed };
}

describe('normalising nested && and ||', () => {
  it('computes the key of each operand once, however deep the nesting', () => {
    // 2 × levels operands (every node but the root), one key each.
    expect(alternating(300).keysComputed).toBe(600);
    expect(alternating(1_000).keysComputed).toBe(2_000);
  });

  it('does at most twice the key work for twice the depth', () => {
    expect(alternating(600).keysComputed).toBeLessThanOrEqual(2 * alternating(300).keysComputed);
  });

  it('still builds the canonical tree', () => {
    const { node } = alternating(3);
    expect(printSelector(node)).toBe('l0 == "x" && (l1 == "x" || l2 == "x" && l3 == "x")');
    expect(node).toEqual(
      ast.and(ast.eq('l0', 'x'), ast.or(ast.eq('l1', 'x'), ast.and(ast.eq('l2', 'x'), ast.eq('l3', 'x')))),
    );
  });

  it('gives a node the same key each time, equal to that of an equal node', () => {
    const { node } = alternating(20);
    expect(ast.nodeKey(node)).toBe(ast.nodeKey(node));
    expect(ast.nodeKey(node)).toBe(ast.nodeKey(alternating(20).node));
    expect(ast.nodeKey(ast.not(ast.or(ast.has('b'), ast.has('a'))))).toBe('!~(has(a) || has(b))');
  });
});
