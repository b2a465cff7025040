import { describe, expect, it } from 'vitest';
import * as ast from './ast.js';
import { compileSelector, type Labels } from './compile.js';
import { interpretSelector } from './interpret.js';
import { MAX_PARENTHESES_DEPTH, parseSelector, tryParseSelector } from './parser.js';
import { printSelector } from './print.js';
import { labelRestrictions } from './restrictions.js';
import { SelectorError } from './selector.errors.js';
import { mapSelector, selector, usesGlobal } from './selector.js';

/**
 * `levels` nested parentheses, each holding the three tree levels a paren level can hold
 * (`||`, `&&`, `!`), so the tree is as deep as the parser lets any tree be:
 * `(a2 == "x" || b2 == "x" && !(a1 == "x" || b1 == "x" && !(a0 == "x" || b0 == "x" && !has(z))))`.
 */
function deepest(levels: number): string {
  let text = 'has(z)';
  for (let i = 0; i < levels; i++) text = `(a${i} == 'x' || b${i} == 'x' && !${text})`;
  return text;
}

/** The same tree built through the constructors. */
function deepestNode(levels: number): ast.SelectorNode {
  let node: ast.SelectorNode = ast.has('z');
  for (let i = 0; i < levels; i++) {
    node = ast.or(ast.eq(`a${i}`, 'x'), ast.and(ast.eq(`b${i}`, 'x'), ast.not(node)));
  }
  return node;
}

function treeDepth(node: ast.SelectorNode): number {
  let depth = 1;
  for (let level = [node]; ; depth++) {
    level = level.flatMap((n) => (n.kind === 'not' ? [n.operand] : 'operands' in n ? [...n.operands] : []));
    if (level.length === 0) return depth;
  }
}

function parseError(text: string): SelectorError {
  try {
    parseSelector(text);
  } catch (error) {
    if (error instanceof SelectorError) return error;
    throw error;
  }
  throw new Error(`${JSON.stringify(text.slice(0, 40))}... parsed`);
}

describe('leading !', () => {
  const operand = ast.eq('a', 'b');

  it.each([10_000, 100_000])('parses %i of them to the operand itself', (count) => {
    expect(parseSelector(`${'!'.repeat(count)}a == 'b'`)).toEqual(operand);
  });

  it.each([10_001, 100_001])('parses %i of them to the negated operand', (count) => {
    const node = parseSelector(`${'!'.repeat(count)}a == 'b'`);
    expect(node).toEqual(ast.not(operand));
    expect(printSelector(node)).toBe('!a == "b"');
  });

  it('works with spaces between them, before a group and after an operator', () => {
    const group = ast.or(ast.has('a'), ast.has('b'));
    expect(parseSelector(`${'! '.repeat(9_999)}(has(a) || has(b))`)).toEqual(ast.not(group));
    expect(parseSelector(`has(c) && ${'!'.repeat(20_000)}(has(a) || has(b))`)).toEqual(
      ast.and(ast.has('c'), group),
    );
  });

  it('matches like a single ! (odd count) or none (even count)', () => {
    const labels: Labels = { a: 'b' };
    for (const count of [9_998, 9_999]) {
      const node = parseSelector(`${'!'.repeat(count)}a == 'b'`);
      expect(compileSelector(node)(labels)).toBe(count % 2 === 0);
      expect(interpretSelector(node, labels)).toBe(count % 2 === 0);
    }
  });

  it('do not count towards the nesting limit', () => {
    const text = `${'!('.repeat(MAX_PARENTHESES_DEPTH)}has(a)${')'.repeat(MAX_PARENTHESES_DEPTH)}`;
    expect(parseSelector(text)).toEqual(ast.has('a'));
  });
});

describe(`parentheses nested ${MAX_PARENTHESES_DEPTH} deep (the limit)`, () => {
  const text = deepest(MAX_PARENTHESES_DEPTH);
  const node = parseSelector(text);

  it('parse to the tree the constructors build, three tree levels per paren level', () => {
    expect(node).toEqual(deepestNode(MAX_PARENTHESES_DEPTH));
    expect(treeDepth(node)).toBe(3 * MAX_PARENTHESES_DEPTH + 1);
  });

  it('parse when every level is a redundant pair of parentheses', () => {
    const depth = MAX_PARENTHESES_DEPTH;
    expect(parseSelector(`${'('.repeat(depth)}all()${')'.repeat(depth)}`)).toEqual(ast.all());
  });

  it('print canonically and round-trip', () => {
    const printed = printSelector(node);
    let canonical = '!has(z)';
    for (let i = 0; i < MAX_PARENTHESES_DEPTH; i++) {
      canonical = `a${i} == "x" || ${i === 0 ? canonical : `!(${canonical})`} && b${i} == "x"`;
    }
    expect(printed).toBe(canonical);
    expect(parseSelector(printed)).toEqual(node);
    expect(printSelector(parseSelector(printed))).toBe(printed);
    // The printed form drops the outermost pair, so it can be grouped once more and still parse.
    expect(parseSelector(`(${printed})`)).toEqual(node);
    expect(selector(text).canonical).toBe(printed);
  });

  it('compile and interpret to the same answers', () => {
    const top = MAX_PARENTHESES_DEPTH - 1;
    // With every b_i present the levels alternate: level i matches exactly when i is even.
    const allB: Labels = Object.fromEntries(
      Array.from({ length: MAX_PARENTHESES_DEPTH }, (_, i) => [`b${i}`, 'x']),
    );
    const cases: ReadonlyArray<readonly [Labels, boolean]> = [
      [{}, false],
      [{ [`a${top}`]: 'x' }, true],
      [allB, top % 2 === 0],
      [{ ...allB, z: 'x' }, top % 2 === 1],
      [{ ...allB, a1: 'x' }, top % 2 === 1],
    ];
    const matches = compileSelector(node);
    for (const [labels, expected] of cases) {
      expect(matches(labels)).toBe(expected);
      expect(interpretSelector(node, labels)).toBe(expected);
    }
  });

  it('can be walked by mapSelector, usesGlobal, labelRestrictions and nodeKey', () => {
    expect(mapSelector(node, (n) => n)).toEqual(node);
    expect(mapSelector(node, (n) => (n.kind === 'has' ? ast.global() : n))).toSatisfy(usesGlobal);
    expect(usesGlobal(node)).toBe(false);
    expect(labelRestrictions(node)).toEqual(new Map());
    expect(ast.nodeKey(node)).toBe(ast.nodeKey(deepestNode(MAX_PARENTHESES_DEPTH)));
  });
});

describe(`parentheses nested ${MAX_PARENTHESES_DEPTH + 1} deep`, () => {
  it("fail with TOO_DEEP at the '(' that opens the extra level", () => {
    const text = deepest(MAX_PARENTHESES_DEPTH + 1);
    const error = parseError(text);
    // deepest() wraps level 0 last, so its '(' is the innermost one.
    const position = text.indexOf("(a0 == 'x'");
    expect({ code: error.code, position: error.position }).toEqual({ code: 'TOO_DEEP', position });
    expect(error.message).toBe(
      `parentheses nested too deeply: this '(' would open level ${MAX_PARENTHESES_DEPTH + 1}; ` +
        `selectors may nest them at most ${MAX_PARENTHESES_DEPTH} deep at position ${position}`,
    );
  });

  const depth = MAX_PARENTHESES_DEPTH + 1;
  it.each([
    { name: 'redundant pairs', text: `${'('.repeat(depth)}all()${')'.repeat(depth)}`, position: depth - 1 },
    {
      name: 'negated groups',
      text: `${'!('.repeat(depth)}has(a)${')'.repeat(depth)}`,
      position: 2 * depth - 1,
    },
    {
      name: '1,800 (which used to overflow the stack)',
      text: `${'('.repeat(1_800)}has(a)${')'.repeat(1_800)}`,
      position: depth - 1,
    },
    { name: '100,000 unclosed', text: '('.repeat(100_000), position: depth - 1 },
  ])('$name: TOO_DEEP at position $position', ({ text, position }) => {
    const error = parseError(text);
    expect({ code: error.code, position: error.position }).toEqual({ code: 'TOO_DEEP', position });
  });

  it('are reported by tryParseSelector rather than thrown', () => {
    const result = tryParseSelector(deepest(MAX_PARENTHESES_DEPTH + 1));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('TOO_DEEP');
  });
});

it('counts only the parentheses open at once, not all of them', () => {
  const siblings = Array.from({ length: 2 * MAX_PARENTHESES_DEPTH }, (_, i) => `(has(l${i}))`).join(' && ');
  expect(parseSelector(`(${siblings})`)).toEqual(
    ast.and(...Array.from({ length: 2 * MAX_PARENTHESES_DEPTH }, (_, i) => ast.has(`l${i}`))),
  );
});
