import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baseConfigShape, ConfigError, loadConfig } from './config.js';

const schema = z.object({ ...baseConfigShape, WORKERS: z.coerce.number().int().min(1) });

describe('config', () => {
  it('applies defaults and coerces values', () => {
    const config = loadConfig(schema, { WORKERS: '3' });
    expect(config.WORKERS).toBe(3);
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/meshplane');
    expect(config.INTERNAL_IDENTITY_SECRET.length).toBeGreaterThanOrEqual(32);
  });

  it('names every missing or malformed variable', () => {
    try {
      loadConfig(schema, { DATABASE_URL: 'not a url', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/^DATABASE_URL: /m);
      expect(problems).toMatch(/^LOG_LEVEL: /m);
      expect(problems).toMatch(/^WORKERS: /m);
    }
  });

  it('refuses the development secrets in production', () => {
    const original = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      expect(() => loadConfig(schema, { WORKERS: '1', NODE_ENV: 'production' })).toThrow(
        /INTERNAL_IDENTITY_SECRET is required in production/,
      );
    } finally {
      process.env.NODE_ENV = original;
    }
  });
});
