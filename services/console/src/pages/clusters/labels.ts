import { ApiError } from '../../api/api-error';

/** The labels text field could not be read as `key=value, …` (said before asking the server). */
export class LabelsSyntaxError extends Error {}

/** Parses `key=value, key=value` into labels; throws a message naming the bad part. */
export function parseLabels(input: string): Array<{ key: string; value: string }> {
  const parts = input
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  return parts.map((part) => {
    const separator = part.indexOf('=');
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (separator < 1 || !key) {
      throw new LabelsSyntaxError(`labels: "${part}" is not key=value (separate labels with commas)`);
    }
    return { key, value };
  });
}

/** Labels as the text field shows them: `key=value, key=value` (parseLabels reads it back). */
export function formatLabels(labels: readonly { key: string; value: string }[]): string {
  return labels.map((label) => `${label.key}=${label.value}`).join(', ');
}

/**
 * What a failed save says about the labels field, to show at the field: the form's own parse
 * error, or the server's problems naming `field` (`labels`, `labels.0.key`, …) with the path left
 * off (the message names the label). Undefined when the failure is about something else.
 */
export function labelsProblem(failure: unknown, field: string): string | undefined {
  if (failure instanceof LabelsSyntaxError) return failure.message.replace(/^labels: /, '');
  if (!(failure instanceof ApiError)) return undefined;
  const messages = failure.problems
    .filter((p) => p.field !== undefined && (p.field === field || p.field.startsWith(`${field}.`)))
    .map((p) => p.message.replace(`${p.field}: `, ''));
  return messages.length > 0 ? messages.join('; ') : undefined;
}
