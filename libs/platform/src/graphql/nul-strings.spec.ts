import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { nulStringError, nulStringsRule, nulStringVariable } from './nul-strings.js';

const schema = buildSchema('type Query { clusters(name: String): Int }');

describe('NUL characters', () => {
  it('refuses string literals holding U+0000, and keeps every other character', () => {
    const errors = (query: string) => validate(schema, parse(query), [nulStringsRule]).map((e) => e.message);
    expect(errors('{ clusters(name: "eu\\u0000") }')).toEqual([
      'a string literal contains the NUL character (U+0000), which no field accepts',
    ]);
    expect(errors('{ clusters(name: "eu-1 🙂 \\u202e \\u0001") }')).toEqual([]);
  });

  it('finds the first string or key with U+0000 in variables, with its path and field', () => {
    expect(nulStringVariable({ input: { name: 'ok', labels: [{ key: 'a', value: 'b\u0000' }] } })).toBe(
      'input.labels.0.value',
    );
    expect(nulStringVariable({ input: { spec: { 'bad\u0000key': 1 } } })).toBe('input.spec.bad\u0000key');
    expect(nulStringVariable({ input: { name: 'eu-1', order: 1, tags: ['x'] } })).toBeUndefined();
    expect(nulStringError('variables.input.name').extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.name',
    });
  });
});
