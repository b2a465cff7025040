import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { finiteNumbersRule, nonFiniteVariable } from './finite-numbers.js';

const schema = buildSchema('type Query { tier(order: Float, count: Int): Int }');

describe('finite numbers', () => {
  it('refuses literals too large for a double, and keeps large finite ones', () => {
    const errors = (query: string) =>
      validate(schema, parse(query), [finiteNumbersRule]).map((e) => e.message);
    expect(errors('{ tier(order: 1e400) }')).toEqual([
      '1e400 is not a finite number (too large for a 64-bit float)',
    ]);
    expect(errors('{ tier(order: 1e300, count: 5) }')).toEqual([]);
  });

  it('finds the first non-finite number in variables, with its path', () => {
    expect(nonFiniteVariable({ i: { name: 'x', order: Number.POSITIVE_INFINITY } })).toBe('i.order');
    expect(nonFiniteVariable({ list: [1, 2, Number.NaN] })).toBe('list.2');
    expect(nonFiniteVariable({ i: { order: 1e300, name: null } })).toBeUndefined();
  });
});
