import { randomBytes } from 'node:crypto';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A Redis key prefix no other test (or developer's `npm start`) shares. */
export function uniqueRedisPrefix(): string {
  return `mptest-${process.pid}-${randomBytes(3).toString('hex')}`;
}
