import { z } from 'zod';
import { AppError } from './error-codes.js';

/**
 * Parses client input with a schema. The first problem becomes BAD_USER_INPUT naming the field
 * (`root.path.to.field: message`), so every service reports bad input the same way.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, root?: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = [...(root ? [root] : []), ...issue.path.map(String)].join('.');
  throw new AppError('bad_input', 'INVALID_INPUT', `${field}: ${issue.message}`, { field });
}

const UUID = z.uuid();

/** An id argument: anything that is not a well-formed id names nothing (callers answer NOT_FOUND). */
export function isId(value: unknown): value is string {
  return UUID.safeParse(value).success;
}
