import { z } from 'zod';
import { AppError } from './error-codes.js';

/** Most problems one INVALID_INPUT error lists. */
const MAX_REPORTED_ISSUES = 20;

/**
 * Parses client input with a schema. Bad input becomes one BAD_USER_INPUT error, so every service
 * reports it the same way: `field` names the first bad field, and when there are more, the message
 * lists each (`root.path.to.field: message; …`) and `fields` holds them all, so a form can mark
 * every bad field at once.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, root?: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, MAX_REPORTED_ISSUES).map((issue) => {
    const field = [...(root ? [root] : []), ...issue.path.map(String)].join('.');
    return { field, message: issue.message };
  });
  const [first] = problems as [{ field: string; message: string }];
  const cut = result.error.issues.length > problems.length ? '; …' : '';
  const message = `${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}${cut}`;
  throw new AppError('bad_input', 'INVALID_INPUT', message, {
    field: first.field,
    ...(problems.length > 1 ? { fields: problems } : {}),
  });
}

const UUID = z.uuid();

/** An id argument: anything that is not a well-formed id names nothing (callers answer NOT_FOUND). */
export function isId(value: unknown): value is string {
  return UUID.safeParse(value).success;
}
