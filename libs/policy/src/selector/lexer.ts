import { SelectorError } from './selector.errors.js';

export type TokenKind =
  | 'label'
  | 'string'
  | 'has'
  | 'all'
  | 'global'
  | '=='
  | '!='
  | 'in'
  | 'not in'
  | 'contains'
  | 'starts with'
  | 'ends with'
  | '{'
  | '}'
  | ','
  | '('
  | ')'
  | '!'
  | '&&'
  | '||'
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Offset of the token's first character in the selector text. */
  readonly position: number;
  /** The label name (label, has) or the literal's content (string); empty otherwise. */
  readonly value: string;
}

/** Calico's label keys: `[a-zA-Z0-9_./-]{1,512}`. */
export const MAX_LABEL_LENGTH = 512;

/**
 * A pull tokenizer for Calico's selector language. Like Calico's own tokenizer it is context
 * sensitive: right after a label it reads an operator word (`in`, `not in`, `contains`,
 * `starts with`, `ends with`) instead of another label, and `has(`, `all(`, `global(` must be
 * written without a space before the parenthesis. Only spaces and tabs are whitespace.
 */
export class Lexer {
  private offset = 0;
  private previous: TokenKind | undefined;

  constructor(private readonly input: string) {}

  next(): Token {
    this.skipWhitespace();
    const token = this.read();
    this.previous = token.kind;
    return token;
  }

  private read(): Token {
    const start = this.offset;
    const input = this.input;
    if (start >= input.length) return { kind: 'eof', position: start, value: '' };
    const char = input[start]!;
    switch (char) {
      case '(':
      case ')':
      case '{':
      case '}':
      case ',':
        this.offset++;
        return { kind: char, position: start, value: '' };
      case '"':
      case "'":
        return this.readString(char);
      case '=':
        return this.readDouble('=', '==', "expected '==' but found a single '='");
      case '&':
        return this.readDouble('&', '&&', "expected '&&' but found a single '&'");
      case '|':
        return this.readDouble('|', '||', "expected '||' but found a single '|'");
      case '!':
        if (input[start + 1] === '=') {
          this.offset += 2;
          return { kind: '!=', position: start, value: '' };
        }
        this.offset++;
        return { kind: '!', position: start, value: '' };
    }
    if (this.previous === 'label') return this.readOperatorWord();
    if (input.startsWith('has(', start)) return this.readHas();
    if (input.startsWith('all(', start)) return this.readEmptyCall('all', 'all(');
    if (input.startsWith('global(', start)) return this.readEmptyCall('global', 'global(');
    const label = this.readLabel();
    if (label !== undefined) return { kind: 'label', position: start, value: label };
    throw new SelectorError('UNEXPECTED_CHARACTER', start, `unexpected character ${describeChar(char)}`);
  }

  private readString(quote: '"' | "'"): Token {
    const start = this.offset;
    const end = this.input.indexOf(quote, start + 1);
    if (end < 0) {
      throw new SelectorError(
        'UNTERMINATED_STRING',
        start,
        `unterminated string literal: no closing ${quote} for the quote (strings cannot contain escapes)`,
      );
    }
    this.offset = end + 1;
    return { kind: 'string', position: start, value: this.input.slice(start + 1, end) };
  }

  private readDouble(char: string, kind: '==' | '&&' | '||', message: string): Token {
    const start = this.offset;
    if (this.input[start + 1] !== char) throw new SelectorError('INCOMPLETE_OPERATOR', start, message);
    this.offset += 2;
    return { kind, position: start, value: '' };
  }

  /** After a label: `in`, `not in`, `contains`, `starts with`, `ends with` (Calico accepts `notin`). */
  private readOperatorWord(): Token {
    const start = this.offset;
    const input = this.input;
    if (input.startsWith('contains', start)) {
      this.offset += 'contains'.length;
      return { kind: 'contains', position: start, value: '' };
    }
    for (const [first, kind] of [
      ['starts', 'starts with'],
      ['ends', 'ends with'],
    ] as const) {
      if (input.startsWith(first, start)) {
        this.offset += first.length;
        this.skipWhitespace();
        if (!input.startsWith('with', this.offset)) {
          throw new SelectorError('EXPECTED_OPERATOR', this.offset, `expected 'with' after '${first}'`);
        }
        this.offset += 'with'.length;
        return { kind, position: start, value: '' };
      }
    }
    if (input.startsWith('not', start)) {
      this.offset += 'not'.length;
      this.skipWhitespace();
      if (!input.startsWith('in', this.offset)) {
        throw new SelectorError('EXPECTED_OPERATOR', this.offset, "expected 'in' after 'not'");
      }
      this.offset += 'in'.length;
      return { kind: 'not in', position: start, value: '' };
    }
    if (input.startsWith('in', start)) {
      this.offset += 'in'.length;
      return { kind: 'in', position: start, value: '' };
    }
    throw new SelectorError(
      'EXPECTED_OPERATOR',
      start,
      'expected an operator (==, !=, in, not in, contains, starts with, ends with) after a label',
    );
  }

  private readHas(): Token {
    const start = this.offset;
    this.offset += 'has('.length;
    this.skipWhitespace();
    const labelStart = this.offset;
    const label = this.readLabel();
    if (label === undefined) {
      throw new SelectorError('EXPECTED_LABEL', labelStart, "expected a label name inside 'has('");
    }
    this.skipWhitespace();
    if (this.input[this.offset] !== ')') {
      throw new SelectorError('EXPECTED_CLOSING_PAREN', this.offset, `expected ')' to close 'has(${label}'`);
    }
    this.offset++;
    return { kind: 'has', position: start, value: label };
  }

  private readEmptyCall(kind: 'all' | 'global', opening: string): Token {
    const start = this.offset;
    this.offset += opening.length;
    this.skipWhitespace();
    if (this.input[this.offset] !== ')') {
      throw new SelectorError('EXPECTED_CLOSING_PAREN', this.offset, `expected ')' after '${opening}'`);
    }
    this.offset++;
    return { kind, position: start, value: '' };
  }

  private readLabel(): string | undefined {
    const start = this.offset;
    let end = start;
    while (end < this.input.length && isLabelChar(this.input.charCodeAt(end))) end++;
    if (end === start) return undefined;
    if (end - start > MAX_LABEL_LENGTH) {
      throw new SelectorError(
        'LABEL_TOO_LONG',
        start,
        `label name is ${end - start} characters long; the limit is ${MAX_LABEL_LENGTH}`,
      );
    }
    this.offset = end;
    return this.input.slice(start, end);
  }

  private skipWhitespace(): void {
    while (this.input[this.offset] === ' ' || this.input[this.offset] === '\t') this.offset++;
  }
}

/** `[A-Za-z0-9_./-]` */
export function isLabelChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || // a-z
    (code >= 65 && code <= 90) || // A-Z
    (code >= 45 && code <= 57) || // - . / 0-9
    code === 95 // _
  );
}

/** True if `label` is a valid label name for a selector. */
export function isValidLabel(label: string): boolean {
  if (label.length === 0 || label.length > MAX_LABEL_LENGTH) return false;
  for (let i = 0; i < label.length; i++) if (!isLabelChar(label.charCodeAt(i))) return false;
  return true;
}

function describeChar(char: string): string {
  if (char === '\n' || char === '\r') return 'line break (only spaces and tabs may separate tokens)';
  if (char.trim() === '')
    return `whitespace U+${char.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()} (only spaces and tabs may separate tokens)`;
  return `'${char}'`;
}
