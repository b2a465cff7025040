import type { INestApplication, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createTestDatabase } from './database.js';
import { TEST_REDIS_URL, uniqueRedisPrefix } from './redis.js';

export interface SubgraphApp {
  app: INestApplication;
  databaseUrl: string;
  close(): Promise<void>;
}

/**
 * One service's Nest application for an integration test: its own database cloned from the
 * migrated template, its own Redis prefix, the given internal identity secret and any extra
 * environment. `close()` stops the app, drops the database and restores the environment.
 */
export async function startSubgraphApp(
  module: Type,
  options: { identitySecret: string; env?: Record<string, string> },
): Promise<SubgraphApp> {
  const database = await createTestDatabase();
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: uniqueRedisPrefix(),
    INTERNAL_IDENTITY_SECRET: options.identitySecret,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...options.env,
  };
  const previous = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  const moduleRef = await Test.createTestingModule({ imports: [module] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return {
    app,
    databaseUrl: database.url,
    async close() {
      await app.close();
      await database.drop();
      for (const [key, value] of Object.entries(previous)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    },
  };
}
