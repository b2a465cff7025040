import { CONFIG, type Limit, RateLimits, REDIS } from '@meshplane/platform';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { TenantsConfig } from '../config.js';
import { tenantsError } from '../tenants/tenants.errors.js';

/**
 * The limits of sign-up, login and invitation acceptance, on the platform's atomic counters.
 * Per IP every attempt counts. Per account an attempt is counted *before* its password check and
 * given back when it succeeds, so only failures use the budget, and parallel guesses can never
 * run more password checks than the budget.
 */
@Injectable()
export class RateLimiter {
  private readonly counters: RateLimits;

  constructor(
    @Inject(REDIS) redis: Redis,
    @Inject(CONFIG) private readonly config: TenantsConfig,
  ) {
    this.counters = new RateLimits(redis, config.REDIS_PREFIX);
  }

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

  /** Counts one attempt, and refuses it with RATE_LIMITED once the window's budget is spent. */
  async consume(limit: Limit, subject: string): Promise<void> {
    const outcome = await this.counters.take(limit, subject);
    if (outcome.allowed) return;
    const { retryAfterSeconds } = outcome;
    throw tenantsError(
      'RATE_LIMITED',
      { retryAfterSeconds },
      `too many attempts; try again in ${retryAfterSeconds} seconds`,
    );
  }

  /** Gives back an attempt `consume` counted (it succeeded, and only failures count). */
  async refund(limit: Limit, subject: string): Promise<void> {
    await this.counters.giveBack(limit, subject);
  }
}
