import { GraphQLObjectType, GraphQLSchema, GraphQLString, graphql } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DateTimeScalar } from './date-time.scalar.js';

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      echo: {
        type: DateTimeScalar,
        args: { at: { type: DateTimeScalar } },
        resolve: (_root, { at }: { at: Date }) => at,
      },
      kind: {
        type: GraphQLString,
        args: { at: { type: DateTimeScalar } },
        resolve: (_r, { at }) => typeof at,
      },
    },
  }),
});

const run = (source: string, variableValues?: Record<string, unknown>) =>
  graphql({ schema, source, variableValues });

describe('the DateTime scalar', () => {
  it('reads RFC 3339 date-times with a zone, from variables and literals, as Dates', async () => {
    expect(
      (await run('query($at: DateTime) { echo(at: $at) }', { at: '2026-12-02T10:00:00+01:00' })).data,
    ).toEqual({
      echo: '2026-12-02T09:00:00.000Z',
    });
    expect((await run('{ kind(at: "2026-12-02T10:00:00.5Z") }')).data).toEqual({ kind: 'object' });
  });

  it('refuses what is no date-time, or no real date, saying what it expects', async () => {
    for (const at of [
      'yesterday',
      '2026-12-02',
      '2026-12-02T10:00:00',
      1_700_000_000,
      '2026-02-30T00:00:00Z',
    ]) {
      const result = await run('query($at: DateTime) { echo(at: $at) }', { at });
      expect(result.errors?.[0]?.message, String(at)).toMatch(/RFC 3339|not a date that exists/);
    }
    const literal = await run('{ echo(at: "next week") }');
    expect(literal.errors?.[0]?.message).toMatch(/RFC 3339 date-time with a time zone/);
  });
});
