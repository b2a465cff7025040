import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/api-error';
import { formatLabels, labelsProblem, parseLabels } from './labels';

describe('the labels text field', () => {
  it('reads back what it shows', () => {
    const labels = [
      { key: 'env', value: 'prod' },
      { key: 'example.com/team', value: '' },
    ];
    expect(formatLabels(labels)).toBe('env=prod, example.com/team=');
    expect(parseLabels(formatLabels(labels))).toEqual(labels);
    expect(parseLabels(' ')).toEqual([]);
  });

  it('refuses a part that is not key=value, naming it', () => {
    expect(() => parseLabels('geo=eu, prod')).toThrow('"prod" is not key=value');
  });
});

describe('the problem shown at the labels field', () => {
  it("is the server's message about a label, without the path its message starts with", () => {
    const single = ApiError.fromErrors(
      [
        {
          message: 'labels.0.key: "-bad" is not a valid label key',
          extensions: { code: 'BAD_USER_INPUT', field: 'labels.0.key' },
        },
      ],
      200,
    );
    expect(labelsProblem(single, 'labels')).toBe('"-bad" is not a valid label key');
    const several = ApiError.fromErrors(
      [
        {
          message: 'input.labels.0.key: a; input.labels.1.value: b',
          extensions: {
            field: 'input.labels.0.key',
            fields: [
              { field: 'input.labels.0.key', message: 'a' },
              { field: 'input.labels.1.value', message: 'b' },
            ],
          },
        },
      ],
      200,
    );
    expect(labelsProblem(several, 'input.labels')).toBe('a; b');
  });

  it("is the form's own parse error", () => {
    let failure: unknown;
    try {
      parseLabels('nonsense');
    } catch (error) {
      failure = error;
    }
    expect(labelsProblem(failure, 'labels')).toMatch(/^"nonsense" is not key=value/);
  });

  it('is nothing when the failure is about something else', () => {
    const name = ApiError.fromErrors([{ message: 'taken', extensions: { field: 'input.name' } }], 200);
    const forbidden = ApiError.fromErrors(
      [{ message: 'requires editor', extensions: { code: 'FORBIDDEN' } }],
      200,
    );
    expect(labelsProblem(name, 'input.labels')).toBeUndefined();
    expect(labelsProblem(forbidden, 'labels')).toBeUndefined();
    expect(labelsProblem(new Error('network'), 'labels')).toBeUndefined();
    // A field that only starts alike is another field.
    const other = ApiError.fromErrors([{ message: 'x', extensions: { field: 'labelsets' } }], 200);
    expect(labelsProblem(other, 'labels')).toBeUndefined();
  });
});
