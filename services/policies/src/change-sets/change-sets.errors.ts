import { AppError, type ErrorCatalog, errorFactory } from '@meshplane/platform';
import type { ChangeSetIssue } from './change-set-documents.js';

export type ChangeSetsErrorReason =
  | 'INVALID_CHANGE_SET'
  | 'CHANGE_SET_SIZE'
  | 'CHANGE_SET_LIMIT'
  | 'PLAN_NOT_FOUND'
  | 'PLAN_EXPIRED'
  | 'PLAN_APPLIED'
  | 'PLAN_STALE';

const catalog: ErrorCatalog<ChangeSetsErrorReason> = {
  INVALID_CHANGE_SET: { category: 'bad_input', message: 'invalid change set' },
  CHANGE_SET_SIZE: { category: 'bad_input', message: 'a change set holds 1 to 1000 objects' },
  CHANGE_SET_LIMIT: {
    category: 'bad_input',
    message: "applied, this change set would exceed the tenant's tier or policy limit",
  },
  PLAN_NOT_FOUND: { category: 'not_found', message: 'no such plan' },
  PLAN_EXPIRED: { category: 'conflict', message: 'this plan has expired; plan the change set again' },
  PLAN_APPLIED: { category: 'conflict', message: 'this plan has already been applied' },
  PLAN_STALE: {
    category: 'conflict',
    message:
      "the tenant's tiers or policies changed since this plan was computed; nothing was applied — plan the change set again",
  },
};

export const changeSetsError = errorFactory(catalog);

/** At most this many issues are returned with one error. */
const MAX_ISSUES = 100;

/**
 * BAD_USER_INPUT for a change set's issues: `extensions.issues` lists `{ index, path, message }`
 * (the object's index in `objects`, the field path inside it, e.g. `spec.ingress[0].action`) and
 * `extensions.field` names the first as `input.objects.<index>.<path>`.
 */
export function invalidChangeSet(issues: readonly ChangeSetIssue[]): AppError {
  const [first] = issues;
  if (first === undefined) throw new Error('invalidChangeSet needs at least one issue');
  const field = `input.objects.${first.index}${first.path === '' ? '' : `.${first.path}`}`;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new AppError(
    'bad_input',
    'INVALID_CHANGE_SET',
    `object ${first.index}: ${first.path}: ${first.message}${more}`,
    {
      field,
      issues: issues.slice(0, MAX_ISSUES).map(({ index, path, message }) => ({ index, path, message })),
    },
  );
}
