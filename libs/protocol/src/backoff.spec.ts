import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

const options = { baseMs: 500, capMs: 30_000 };
const almostOne = 1 - Number.EPSILON;

describe('backoffDelay', () => {
  it('doubles the ceiling with every attempt until the cap', () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 7, 10].map((attempt) =>
      backoffDelay(attempt, { ...options, random: () => almostOne }),
    );
    expect(ceilings).toEqual([499, 999, 1999, 3999, 7999, 15_999, 29_999, 29_999, 29_999]);
  });

  it('uses full jitter: the delay is the random fraction of the ceiling', () => {
    expect(backoffDelay(3, { ...options, random: () => 0 })).toBe(0);
    expect(backoffDelay(3, { ...options, random: () => 0.5 })).toBe(2_000);
    expect(backoffDelay(3, { ...options, random: () => 0.25 })).toBe(1_000);
  });

  it('stays within [0, min(cap, base·2^attempt)) with Math.random', () => {
    for (let attempt = 0; attempt < 40; attempt++) {
      const ceiling = Math.min(options.capMs, options.baseMs * 2 ** attempt);
      for (let i = 0; i < 50; i++) {
        const delay = backoffDelay(attempt, options);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
      }
    }
  });

  it('treats huge, negative and non-finite attempts safely', () => {
    const max = { ...options, random: () => almostOne };
    expect(backoffDelay(10_000, max)).toBe(29_999);
    expect(backoffDelay(-3, max)).toBe(499);
    expect(backoffDelay(Number.NaN, max)).toBe(499);
  });

  it('clamps a random source that strays outside [0, 1]', () => {
    expect(backoffDelay(0, { ...options, random: () => 7 })).toBe(500);
    expect(backoffDelay(0, { ...options, random: () => -1 })).toBe(0);
  });
});
