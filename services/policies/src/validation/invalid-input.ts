import { AppError } from '@meshplane/platform';
import type { ValidationIssue } from '@meshplane/policy';

/** At most this many issues are returned with one error (the first names `extensions.field`). */
const MAX_ISSUES = 50;

/**
 * BAD_USER_INPUT for validation issues: `extensions.field` is the first issue's path and
 * `extensions.issues` lists them all (`{ path, message }`), so a client can mark every field.
 * `field` overrides the field at fault when the issues are not about the caller's input.
 */
export function invalidInput(reason: string, issues: readonly ValidationIssue[], field?: string): AppError {
  const [first] = issues;
  if (first === undefined) throw new Error('invalidInput needs at least one issue');
  const shown = issues.slice(0, MAX_ISSUES).map(({ path, message }) => ({ path, message }));
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new AppError('bad_input', reason, `${first.path}: ${first.message}${more}`, {
    field: field ?? first.path,
    issues: shown,
  });
}
