import type { SelectorNode, ValueOperator } from './ast.js';
import * as ast from './ast.js';
import { Lexer, type Token, type TokenKind } from './lexer.js';
import { SelectorError } from './selector.errors.js';

/**
 * How deeply parentheses may nest. Past this the parser refuses the selector (`TOO_DEEP`) instead
 * of overflowing the stack: the parser and every walk over a tree (printing, compiling, the
 * interpreter, `mapSelector`, label restrictions) recurse once or more per level, and each paren
 * level can hold three tree levels (`||`, `&&`, `!`). The most stack-hungry walks (`mapSelector`,
 * the interpreter) first overflow a default Node stack at about 1,000 such paren levels, so at
 * this limit they use about a quarter of it and leave the rest to callers deep in a request.
 * Calico accepts deeper nesting (a 1024-character selector can nest 509 deep), but no selector
 * anyone writes comes near 256; deeper ones are refused rather than risk a crash. Any number of
 * `!` is fine: they do not nest (`!!x` is `x`).
 */
export const MAX_PARENTHESES_DEPTH = 256;

/**
 * Parses a Calico selector into its normal-form tree. An empty (or blank) selector is `all()`.
 * Precedence, tightest first: match operators, parentheses, `!`, `&&`, `||`. Parentheses may
 * nest at most {@link MAX_PARENTHESES_DEPTH} (256) deep; leading `!` are unlimited.
 *
 * @throws SelectorError with the 0-based position of the fault; `TOO_DEEP` at the first '(' past
 * the nesting limit.
 */
export function parseSelector(text: string): SelectorNode {
  return new Parser(text).parseRoot();
}

/** Like {@link parseSelector} but returns the error instead of throwing it. */
export function tryParseSelector(
  text: string,
): { ok: true; node: SelectorNode } | { ok: false; error: SelectorError } {
  try {
    return { ok: true, node: parseSelector(text) };
  } catch (error) {
    if (error instanceof SelectorError) return { ok: false, error };
    throw error;
  }
}

const VALUE_OPERATORS: Partial<Record<TokenKind, ValueOperator>> = {
  '==': 'eq',
  '!=': 'ne',
  contains: 'contains',
  'starts with': 'startsWith',
  'ends with': 'endsWith',
};

class Parser {
  private readonly lexer: Lexer;
  private token: Token;
  /** How many parentheses are open at the current token. */
  private depth = 0;

  constructor(text: string) {
    this.lexer = new Lexer(text);
    this.token = this.lexer.next();
  }

  parseRoot(): SelectorNode {
    if (this.peek() === 'eof') return ast.all();
    const node = this.parseOr();
    if (this.peek() !== 'eof') {
      throw new SelectorError(
        'UNEXPECTED_INPUT',
        this.token.position,
        `expected '&&', '||' or the end of the selector but found ${describe(this.token)}`,
      );
    }
    return node;
  }

  /** The kind of the current token (a method, so TypeScript does not narrow it across advances). */
  private peek(): TokenKind {
    return this.token.kind;
  }

  private advance(): Token {
    const current = this.token;
    this.token = this.lexer.next();
    return current;
  }

  private parseOr(): SelectorNode {
    const operands = [this.parseAnd()];
    while (this.peek() === '||') {
      this.advance();
      operands.push(this.parseAnd());
    }
    return operands.length === 1 ? operands[0]! : ast.or(...operands);
  }

  private parseAnd(): SelectorNode {
    const operands = [this.parseUnary()];
    while (this.peek() === '&&') {
      this.advance();
      operands.push(this.parseUnary());
    }
    return operands.length === 1 ? operands[0]! : ast.and(...operands);
  }

  /** Any number of `!`, read in a loop: only their parity matters, since `!!x` is `x`. */
  private parseUnary(): SelectorNode {
    let negated = false;
    while (this.peek() === '!') {
      this.advance();
      negated = !negated;
    }
    const operand = this.parsePrimary();
    return negated ? ast.not(operand) : operand;
  }

  private parsePrimary(): SelectorNode {
    const token = this.advance();
    switch (token.kind) {
      case 'has':
        return ast.has(token.value);
      case 'all':
        return ast.all();
      case 'global':
        return ast.global();
      case '(':
        return this.parseParenthesised(token);
      case 'label':
        return this.parseMatch(token.value);
      default:
        throw new SelectorError(
          token.kind === 'eof' ? 'EXPECTED_EXPRESSION' : 'UNEXPECTED_INPUT',
          token.position,
          `expected a label comparison, has(), all(), global(), '!' or '(' but found ${describe(token)}`,
        );
    }
  }

  private parseParenthesised(open: Token): SelectorNode {
    if (this.depth === MAX_PARENTHESES_DEPTH) {
      throw new SelectorError(
        'TOO_DEEP',
        open.position,
        `parentheses nested too deeply: this '(' would open level ${MAX_PARENTHESES_DEPTH + 1}; selectors may nest them at most ${MAX_PARENTHESES_DEPTH} deep`,
      );
    }
    this.depth++;
    const node = this.parseOr();
    this.depth--;
    if (this.peek() !== ')') {
      throw new SelectorError(
        'EXPECTED_CLOSING_PAREN',
        this.token.position,
        `expected ')' to close the '(' at position ${open.position} but found ${describe(this.token)}`,
      );
    }
    this.advance();
    return node;
  }

  private parseMatch(label: string): SelectorNode {
    const operator = this.advance();
    const valueOperator = VALUE_OPERATORS[operator.kind];
    if (valueOperator !== undefined) {
      const literal = this.advance();
      if (literal.kind !== 'string') {
        throw new SelectorError(
          'EXPECTED_STRING',
          literal.position,
          `expected a quoted string after '${operator.kind}' but found ${describe(literal)}`,
        );
      }
      return ast.valueMatch(valueOperator, label, literal.value);
    }
    if (operator.kind === 'in' || operator.kind === 'not in') {
      const values = this.parseSet(operator.kind);
      return operator.kind === 'in' ? ast.inSet(label, values) : ast.notInSet(label, values);
    }
    throw new SelectorError(
      'EXPECTED_OPERATOR',
      operator.position,
      `expected an operator (==, !=, in, not in, contains, starts with, ends with) after label '${label}' but found ${describe(operator)}`,
    );
  }

  /** `{ "a", 'b', ... }`; like Calico, the set may be empty and may end with a comma. */
  private parseSet(operator: string): string[] {
    const open = this.advance();
    if (open.kind !== '{') {
      throw new SelectorError(
        'EXPECTED_SET',
        open.position,
        `expected '{' to start a set of quoted strings after '${operator}' but found ${describe(open)}`,
      );
    }
    const values: string[] = [];
    while (this.peek() === 'string') {
      values.push(this.advance().value);
      if (this.peek() !== ',') break;
      this.advance();
    }
    const close = this.advance();
    if (close.kind !== '}') {
      throw new SelectorError(
        'EXPECTED_CLOSING_BRACE',
        close.position,
        `expected ',' or '}' in the set started at position ${open.position} but found ${describe(close)}`,
      );
    }
    return values;
  }
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'eof':
      return 'the end of the selector';
    case 'label':
      return `label '${token.value}'`;
    case 'string':
      return `string ${token.value.includes('"') ? `'${token.value}'` : `"${token.value}"`}`;
    case 'has':
      return `'has(${token.value})'`;
    case 'all':
    case 'global':
      return `'${token.kind}()'`;
    default:
      return `'${token.kind}'`;
  }
}
