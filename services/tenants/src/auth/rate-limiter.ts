import { createHash } from 'node:crypto';
import { CONFIG, REDIS } from '@meshplane/platform';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { TenantsConfig } from '../config.js';
import { tenantsError } from '../tenants/tenants.errors.js';

export interface Limit {
  /** Names the counter (`ip`, `login`, ...). */
  bucket: string;
  max: number;
  windowSeconds: number;
}

/**
 * Fixed-window counters in Redis, shared by every replica. Subjects (IPs, emails) are hashed so
 * that no personal data sits in Redis key names.
 */
@Injectable()
export class RateLimiter {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: TenantsConfig,
  ) {}

  /** The limits sign-up, login and invitation acceptance apply. */
  get limits() {
    const c = this.config;
    return {
      ip: { bucket: 'ip', max: c.AUTH_RATE_LIMIT_PER_IP, windowSeconds: c.AUTH_RATE_LIMIT_IP_WINDOW_SECONDS },
      account: (bucket: string): Limit => ({
        bucket,
        max: c.AUTH_RATE_LIMIT_PER_ACCOUNT,
        windowSeconds: c.AUTH_RATE_LIMIT_ACCOUNT_WINDOW_SECONDS,
      }),
    };
  }

  private key(limit: Limit, subject: string): string {
    const digest = createHash('sha256').update(subject).digest('base64url').slice(0, 32);
    return `${this.config.REDIS_PREFIX}:ratelimit:${limit.bucket}:${digest}`;
  }

  /** Counts one attempt, and refuses it with RATE_LIMITED once the window's budget is spent. */
  async consume(limit: Limit, subject: string): Promise<void> {
    const key = this.key(limit, subject);
    const results = await this.redis
      .multi()
      .incr(key)
      .pexpire(key, limit.windowSeconds * 1000, 'NX')
      .pttl(key)
      .exec();
    const count = Number(results?.[0]?.[1] ?? 0);
    if (count > limit.max) throw this.limited(Number(results?.[2]?.[1] ?? limit.windowSeconds * 1000));
  }

  /** Refuses with RATE_LIMITED when the budget is already spent, without counting. */
  async check(limit: Limit, subject: string): Promise<void> {
    const key = this.key(limit, subject);
    const [count, ttl] = await Promise.all([this.redis.get(key), this.redis.pttl(key)]);
    if (Number(count ?? 0) >= limit.max) throw this.limited(ttl);
  }

  /** Counts one attempt without refusing (failures are counted after the fact). */
  async hit(limit: Limit, subject: string): Promise<void> {
    const key = this.key(limit, subject);
    await this.redis
      .multi()
      .incr(key)
      .pexpire(key, limit.windowSeconds * 1000, 'NX')
      .exec();
  }

  private limited(ttlMs: number) {
    const retryAfterSeconds = Math.max(1, Math.ceil(ttlMs / 1000));
    return tenantsError(
      'RATE_LIMITED',
      { retryAfterSeconds },
      `too many attempts; try again in ${retryAfterSeconds} seconds`,
    );
  }
}
