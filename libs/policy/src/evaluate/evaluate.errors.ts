import type { ValidationIssue } from '../validate/validation-issue.js';

/** Every way building an evaluator or evaluating a flow can fail. */
export type EvaluationErrorCode =
  | 'INVALID_POLICY_SET'
  | 'DUPLICATE_ENDPOINT'
  | 'UNKNOWN_ENDPOINT'
  | 'INVALID_ADDRESS'
  | 'INVALID_PROTOCOL';

export class EvaluationError extends Error {
  override readonly name = 'EvaluationError';

  constructor(
    readonly code: EvaluationErrorCode,
    message: string,
    /** For INVALID_POLICY_SET: what is wrong, with field paths. */
    readonly issues: readonly ValidationIssue[] = [],
  ) {
    super(message);
  }
}
