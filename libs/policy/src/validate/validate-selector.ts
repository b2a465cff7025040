import { Lexer } from '../selector/lexer.js';
import { tryParseSelector } from '../selector/parser.js';
import { usesGlobal } from '../selector/selector.js';
import type { IssueCollector } from './validation-issue.js';

/** Calico's limit on selector fields. */
export const MAX_SELECTOR_LENGTH = 1024;

/**
 * Checks one selector field: its length, its syntax and how deeply its parentheses nest (see
 * MAX_PARENTHESES_DEPTH; the message names the position), and that `global()` appears only where
 * Calico allows it: as the whole of an entity rule's namespaceSelector (`allowGlobal`), never
 * combined with other expressions.
 */
export function checkSelector(
  issues: IssueCollector,
  path: string,
  text: string | undefined,
  options: { allowGlobal?: boolean } = {},
): void {
  if (text === undefined) return;
  if (typeof text !== 'string') {
    issues.add(path, 'must be a selector string');
    return;
  }
  if (text.length > MAX_SELECTOR_LENGTH) {
    issues.add(path, `is ${text.length} characters long; selectors are limited to ${MAX_SELECTOR_LENGTH}`);
    return;
  }
  const parsed = tryParseSelector(text);
  if (!parsed.ok) {
    issues.add(path, `invalid selector: ${parsed.error.message}`);
    return;
  }
  if (!usesGlobal(parsed.node)) return;
  if (!options.allowGlobal) {
    issues.add(path, "global() can only be used in an entity rule's namespaceSelector");
  } else if (!isGlobalOnly(text)) {
    issues.add(
      path,
      'global() must be the whole namespaceSelector; it cannot be combined with other expressions',
    );
  }
}

/**
 * Whether the selector is `global()` and nothing else. Calico's validator (validateEntityRule)
 * tokenizes the namespaceSelector and refuses it unless the tokens are exactly `global()` and the
 * end; the parsed tree cannot tell, since normal form folds `(global())`, `global() && all()`
 * and `global() || global()` into `global()`.
 */
function isGlobalOnly(text: string): boolean {
  const lexer = new Lexer(text);
  return lexer.next().kind === 'global' && lexer.next().kind === 'eof';
}
