/** Every way a selector can fail to parse or print. */
export type SelectorErrorCode =
  | 'UNTERMINATED_STRING'
  | 'UNEXPECTED_CHARACTER'
  | 'INCOMPLETE_OPERATOR'
  | 'EXPECTED_OPERATOR'
  | 'EXPECTED_STRING'
  | 'EXPECTED_SET'
  | 'EXPECTED_CLOSING_BRACE'
  | 'EXPECTED_CLOSING_PAREN'
  | 'EXPECTED_LABEL'
  | 'EXPECTED_EXPRESSION'
  | 'UNEXPECTED_INPUT'
  | 'LABEL_TOO_LONG'
  | 'TOO_DEEP'
  | 'UNPRINTABLE_VALUE';

/**
 * A selector that cannot be parsed (or a tree that cannot be printed). `position` is the 0-based
 * offset in the selector text where the fault was found; the message already ends with
 * "at position N" so it can be shown to a user as is.
 */
export class SelectorError extends Error {
  override readonly name = 'SelectorError';

  constructor(
    readonly code: SelectorErrorCode,
    readonly position: number,
    readonly detail: string,
  ) {
    super(position >= 0 ? `${detail} at position ${position}` : detail);
  }
}
