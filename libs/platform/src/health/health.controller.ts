import { Controller, Get, HttpException, Inject, Optional } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { REDIS } from '../nest/tokens.js';

type CheckResult = 'ok' | string;

async function withTimeout(probe: Promise<unknown>, ms: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}

/** Liveness (`/healthz`: the process answers) and readiness (`/readyz`: its dependencies answer). */
@Controller()
export class HealthController {
  constructor(
    @Optional() private readonly dataSource?: DataSource,
    @Optional() @Inject(REDIS) private readonly redis?: Redis,
  ) {}

  @Get('healthz')
  health() {
    return { status: 'ok' };
  }

  @Get('readyz')
  async ready() {
    const checks: Record<string, CheckResult> = {};
    if (this.dataSource) checks.postgres = await withTimeout(this.dataSource.query('SELECT 1'), 2_000);
    if (this.redis) checks.redis = await withTimeout(this.redis.ping(), 2_000);
    const ready = Object.values(checks).every((c) => c === 'ok');
    const body = { status: ready ? 'ready' : 'not ready', checks };
    if (!ready) throw new HttpException(body, 503);
    return body;
  }
}
