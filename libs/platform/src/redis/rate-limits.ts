import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A budget of attempts per subject (an IP, an account) in a fixed window. */
export interface Limit {
  /** Names the counter (`ip`, `login`, `install`, ...). */
  readonly bucket: string;
  readonly max: number;
  readonly windowSeconds: number;
}

export type LimitOutcome =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

/** Gives back one attempt, never below zero and never to a window that has already ended. */
const GIVE_BACK = `
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n > 0 then return redis.call('DECR', KEYS[1]) end
return 0`;

/**
 * Fixed-window counters in Redis, shared by every replica. Taking an attempt is one atomic
 * INCR, so parallel attempts cannot all slip through a check made before any of them counted:
 * work that must be limited (a password check) runs only after `take` allowed it, and an
 * attempt that should not count (a successful login) is given back afterwards. Subjects are
 * hashed so that no personal data (IPs, emails) sits in key names; one key per subject, so it
 * works on Redis Cluster unchanged.
 */
export class RateLimits {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(limit: Limit, subject: string): string {
    const digest = createHash('sha256').update(subject).digest('base64url').slice(0, 32);
    return `${this.prefix}:ratelimit:${limit.bucket}:${digest}`;
  }

  /** Counts one attempt; refused once the window's budget is spent (the refused attempt counts too). */
  async take(limit: Limit, subject: string): Promise<LimitOutcome> {
    const key = this.key(limit, subject);
    const results = await this.redis
      .multi()
      .incr(key)
      .pexpire(key, limit.windowSeconds * 1000, 'NX')
      .pttl(key)
      .exec();
    const count = Number(results?.[0]?.[1] ?? 0);
    if (count <= limit.max) return { allowed: true };
    const ttlMs = Number(results?.[2]?.[1] ?? limit.windowSeconds * 1000);
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)) };
  }

  /** Gives back an attempt `take` counted (it turned out not to need counting). */
  async giveBack(limit: Limit, subject: string): Promise<void> {
    await this.redis.eval(GIVE_BACK, 1, this.key(limit, subject));
  }
}
