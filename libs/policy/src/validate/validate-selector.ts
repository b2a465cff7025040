import { tryParseSelector } from '../selector/parser.js';
import { usesGlobal } from '../selector/selector.js';
import type { IssueCollector } from './validation-issue.js';

/** Calico's limit on selector fields. */
export const MAX_SELECTOR_LENGTH = 1024;

/**
 * Checks one selector field: its length, its syntax and how deeply its parentheses nest (see
 * MAX_PARENTHESES_DEPTH; the message names the position), and that `global()` appears only where
 * Calico allows it (an entity rule's namespaceSelector).
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
  if (!options.allowGlobal && usesGlobal(parsed.node)) {
    issues.add(path, "global() can only be used in an entity rule's namespaceSelector");
  }
}
