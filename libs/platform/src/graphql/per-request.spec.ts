import { describe, expect, it } from 'vitest';
import { PerRequest } from './per-request.js';

describe('PerRequest', () => {
  it('makes the loads of one request one batch, and never shares answers between requests', async () => {
    const batches: string[][] = [];
    const lookups = new PerRequest<{ tenant: string }, string, string>(async (context, keys) => {
      batches.push([...keys]);
      return keys.map((key) => `${context.tenant}:${key}`);
    });
    const first = { tenant: 'a' };
    const second = { tenant: 'b' };
    const answers = await Promise.all([
      lookups.load(first, 'x'),
      lookups.load(first, 'y'),
      lookups.load(second, 'x'),
      lookups.load(first, 'x'),
    ]);
    expect(answers).toEqual(['a:x', 'a:y', 'b:x', 'a:x']);
    expect(batches).toEqual([['x', 'y'], ['x']]);
  });
});
