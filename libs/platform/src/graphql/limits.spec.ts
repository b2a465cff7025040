import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_QUERY_LIMITS,
  type QueryLimits,
  queryCost,
  queryCostError,
  queryShapeRule,
} from './limits.js';

const schema = buildSchema(`
  type Label { key: String! value: String! }
  type Node { id: ID! name: String labels: [Label!]! child: Node children(first: Int): [Node!]! }
  type NodeConnection { nodes: [Node!]! totalCount: Int! }
  type Query {
    node: Node
    nodes(first: Int): [Node!]!
    page(first: Int = 100, after: String): NodeConnection!
    search: [SearchResult!]!
  }
  union SearchResult = Node | Label
`);

function errorsOf(query: string, limits: Partial<QueryLimits> = {}) {
  return validate(schema, parse(query), [queryShapeRule({ ...DEFAULT_QUERY_LIMITS, ...limits })]).map(
    (e) => e.message,
  );
}

const cost = (query: string, variables: Record<string, unknown> = {}, operationName?: string) =>
  queryCost(schema, parse(query), variables, operationName);

const nest = (depth: number) => {
  let selection = 'id';
  for (let i = 1; i < depth; i += 1) selection = `child { ${selection} }`;
  return `{ node { ${selection} } }`;
};

describe('query shape limits (validation: the text alone)', () => {
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
    expect(cost(query)).toBe(2);
  });

  it('counts aliases, including those inside fragments', () => {
    const query = `{ a: node { id } b: node { id } ...Q } fragment Q on Query { c: node { x: id } }`;
    expect(errorsOf(query, { maxAliases: 4 })).toEqual([]);
    expect(errorsOf(query, { maxAliases: 3 })).toEqual(['query uses 4 aliases; the limit is 3']);
  });
});

describe('query cost (per request: the objects it asks for, with its own variables)', () => {
  it('counts objects, not scalars, multiplying by the page size of every list above', () => {
    // nodes: 100 × (1 + children: 50 × (1 + labels: 10 × 1)) = 100 × 551
    expect(cost(`{ nodes(first: 100) { id name children(first: 50) { id labels { key } } } }`)).toBe(55_100);
    expect(cost(`{ node { id name } }`)).toBe(1);
  });

  it('prices the same text by each request’s variables', () => {
    const query = `query Q($n: Int) { nodes(first: $n) { id labels { key value } } }`;
    expect(cost(query, { n: 1 })).toBe(11);
    expect(cost(query, { n: 1_000 })).toBe(11_000);
    // A list without a page size of its own counts the default.
    expect(cost(query, {})).toBe(DEFAULT_QUERY_LIMITS.defaultListSize * 11);
  });

  it('gives a connection’s list the connection’s page size, or the schema’s default for it', () => {
    expect(cost(`{ page(first: 1000) { totalCount nodes { id name } } }`)).toBe(1 + 1_000);
    expect(cost(`{ page { nodes { id } } }`)).toBe(1 + 100);
    expect(cost(`query($n: Int) { page(first: $n) { nodes { labels { key } } } }`, { n: 20 })).toBe(
      1 + 20 * (1 + 10),
    );
  });

  it('follows named and inline fragments with their type conditions, and picks the named operation', () => {
    const query = `
      query A { search { ... on Node { labels { key } } ...L } }
      query B { node { id } }
      fragment L on Label { key }`;
    // search: 10 × (1 + labels: 10 × 1)
    expect(cost(query, {}, 'A')).toBe(110);
    expect(cost(query, {}, 'B')).toBe(1);
    expect(cost(query, {}, 'C')).toBe(0);
  });

  it('says in the error how to bring the cost under the limit', () => {
    const error = queryCostError(60_000, 50_000);
    expect(error.message).toMatch(/query cost 60000 exceeds the limit of 50000: .*smaller pages/);
    expect(error.extensions).toEqual({ code: 'QUERY_TOO_COSTLY', cost: 60_000, maxCost: 50_000 });
  });
});
