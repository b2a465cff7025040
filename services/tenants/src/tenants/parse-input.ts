import { z } from 'zod';
import { tenantsError } from './tenants.errors.js';

/** Parses input with a schema, turning the first problem into a BAD_USER_INPUT naming the field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.');
  throw tenantsError('INVALID_INPUT', { field }, `${field}: ${issue.message}`);
}

export const emailSchema = z
  .email()
  .max(254)
  .transform((value) => value.toLowerCase());

const uuid = z.uuid();

/** An id argument: anything that is not a well-formed id names nothing, so it is NOT_FOUND. */
export function isId(value: unknown): value is string {
  return uuid.safeParse(value).success;
}
