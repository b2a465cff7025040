import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from './error-codes.js';
import { parseInput } from './parse-input.js';

const SignUp = z.object({
  tenantName: z.string().min(2),
  email: z.email(),
  password: z.string().min(12),
});

function refusal(input: unknown): AppError {
  try {
    parseInput(SignUp, input, 'input');
  } catch (error) {
    if (error instanceof AppError) return error;
  }
  throw new Error('expected an AppError');
}

describe('parseInput', () => {
  it('returns the parsed value', () => {
    expect(parseInput(SignUp, { tenantName: 'Acme', email: 'a@b.co', password: 'x'.repeat(12) })).toEqual({
      tenantName: 'Acme',
      email: 'a@b.co',
      password: 'x'.repeat(12),
    });
  });

  it('names the one bad field', () => {
    const error = refusal({ tenantName: 'Acme', email: 'nope', password: 'x'.repeat(12) });
    expect(error).toMatchObject({
      category: 'bad_input',
      reason: 'INVALID_INPUT',
      details: { field: 'input.email' },
    });
    expect(error.message).toMatch(/^input\.email: /);
    expect(error.details.fields).toBeUndefined();
  });

  it('reports every bad field, not only the first', () => {
    const error = refusal({ tenantName: '', email: 'nope', password: 'short' });
    expect(error.details.field).toBe('input.tenantName');
    expect((error.details.fields as { field: string }[]).map((f) => f.field)).toEqual([
      'input.tenantName',
      'input.email',
      'input.password',
    ]);
    expect(error.message).toMatch(/^input\.tenantName: .+; input\.email: .+; input\.password: /);
  });
});
