import pg from 'pg';
import { DataSource, type MigrationInterface } from 'typeorm';
import { clustersMigrations } from './clusters/index.js';
import { policiesMigrations } from './policies/index.js';
import { telemetryMigrations } from './telemetry/index.js';
import { tenantsMigrations } from './tenants/index.js';

type MigrationClass = new () => MigrationInterface;

/** Each domain service's schema and its migrations, in the order they are applied. */
export const SCHEMAS: ReadonlyArray<{ schema: string; migrations: MigrationClass[] }> = [
  { schema: 'tenants', migrations: tenantsMigrations },
  { schema: 'clusters', migrations: clustersMigrations },
  { schema: 'policies', migrations: policiesMigrations },
  { schema: 'telemetry', migrations: telemetryMigrations },
];

/** The role services switch to inside tenant-scoped transactions; RLS policies apply to it. */
export const APP_ROLE = 'meshplane_app';

/** Any constant works, as long as every migrator uses the same one. */
const MIGRATION_LOCK_KEY = 0x6d657368; // 'mesh'

export interface MigrateOptions {
  log?: (line: string) => void;
}

/** Creates the database named in `url` when it does not exist yet (local runs, tests). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } catch (error) {
    // Two migrators racing to create the database: the loser finds it there.
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end();
  }
}

/**
 * Applies every pending migration of every schema, under a Postgres advisory lock so that two
 * migrators (two deploys, two test workers) never run at once. Returns the names applied.
 */
export async function migrate(url: string, options: MigrateOptions = {}): Promise<string[]> {
  const log = options.log ?? (() => {});
  const lock = new pg.Client({ connectionString: url });
  await lock.connect();
  const applied: string[] = [];
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await lock.query(`DO $$ BEGIN
        CREATE ROLE ${APP_ROLE} NOLOGIN;
      EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
    for (const { schema, migrations } of SCHEMAS) {
      await lock.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await lock.query(`GRANT USAGE ON SCHEMA "${schema}" TO ${APP_ROLE}`);
      const dataSource = new DataSource({
        type: 'postgres',
        url,
        schema,
        migrations,
        migrationsTableName: 'migrations',
        migrationsTransactionMode: 'each',
        logging: false,
      });
      await dataSource.initialize();
      try {
        const ran = await dataSource.runMigrations({ transaction: 'each' });
        for (const migration of ran) {
          log(`applied ${schema}/${migration.name}`);
          applied.push(`${schema}/${migration.name}`);
        }
      } finally {
        await dataSource.destroy();
      }
    }
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    await lock.end();
  }
  return applied;
}
