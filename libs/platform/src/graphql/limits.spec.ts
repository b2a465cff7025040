import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUERY_LIMITS, type QueryLimits, queryLimitsRule } from './limits.js';

const schema = buildSchema(`
  type Node { id: ID! name: String child: Node children(first: Int): [Node!]! }
  type Query { node: Node nodes(first: Int): [Node!]! }
`);

function errorsOf(query: string, limits: Partial<QueryLimits> = {}, variables: Record<string, unknown> = {}) {
  const rule = queryLimitsRule({ ...DEFAULT_QUERY_LIMITS, ...limits }, variables);
  return validate(schema, parse(query), [rule]).map((e) => e.message);
}

const nest = (depth: number) => {
  let selection = 'id';
  for (let i = 1; i < depth; i += 1) selection = `child { ${selection} }`;
  return `{ node { ${selection} } }`;
};

describe('query limits', () => {
  it('accepts a query exactly at the depth limit and rejects one level deeper', () => {
    // nest(n) has n levels below `node`, so its depth is n + 1.
    expect(errorsOf(nest(4), { maxDepth: 5 })).toEqual([]);
    expect(errorsOf(nest(5), { maxDepth: 5 })).toEqual(['query depth 6 exceeds the limit of 5']);
  });

  it('counts depth through named and inline fragments', () => {
    const query = `{ node { ...F } } fragment F on Node { child { ... on Node { child { id } } } }`;
    expect(errorsOf(query, { maxDepth: 3 })).toEqual(['query depth 4 exceeds the limit of 3']);
  });

  it('does not loop on a fragment that spreads itself (graphql rejects the cycle separately)', () => {
    const query = `{ node { ...F } } fragment F on Node { child { ...F } }`;
    expect(errorsOf(query)).toEqual([]);
  });

  it('counts aliases, including those inside fragments', () => {
    const query = `{ a: node { id } b: node { id } ...Q } fragment Q on Query { c: node { x: id } }`;
    expect(errorsOf(query, { maxAliases: 4 })).toEqual([]);
    expect(errorsOf(query, { maxAliases: 3 })).toEqual(['query uses 4 aliases; the limit is 3']);
  });

  it('multiplies cost by the page size of every list above a field', () => {
    const query = `{ nodes(first: 100) { id children(first: 50) { id name } } }`;
    // nodes: 1 + 100 × (id 1 + children (1 + 50 × 2)) = 1 + 100 × 102 = 10201
    expect(errorsOf(query, { maxCost: 10_201 })).toEqual([]);
    expect(errorsOf(query, { maxCost: 10_200 })).toEqual(['query cost 10201 exceeds the limit of 10200']);
  });

  it('takes page sizes from variables, and assumes the default for lists without one', () => {
    const query = `query Q($n: Int) { nodes(first: $n) { id name } }`;
    expect(errorsOf(query, { maxCost: 2_001 }, { n: 1000 })).toEqual([]);
    expect(errorsOf(query, { maxCost: 2_000 }, { n: 1000 })).toEqual([
      'query cost 2001 exceeds the limit of 2000',
    ]);
    expect(errorsOf(`{ nodes { id } }`, { maxCost: 10, defaultListSize: 10 })).toEqual([
      'query cost 11 exceeds the limit of 10',
    ]);
  });
});
