import { readdirSync } from 'node:fs';
import { createTestDatabase } from '@meshplane/testing';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clustersEntities } from '../services/clusters/src/entities.js';
import { policiesEntities } from '../services/policies/src/entities.js';
import { telemetryEntities } from '../services/telemetry/src/entities.js';
import { tenantsEntities } from '../services/tenants/src/entities.js';
import { migrate, SCHEMAS } from './runner.js';

const ENTITIES = {
  tenants: tenantsEntities,
  clusters: clustersEntities,
  policies: policiesEntities,
  telemetry: telemetryEntities,
} as const;

const FILE_NAME = /^(\d{13})-([A-Z][A-Za-z0-9]+)\.ts$/;

describe('migration files', () => {
  const files = SCHEMAS.flatMap(({ schema }) =>
    readdirSync(new URL(`./${schema}/`, import.meta.url))
      .filter((f) => f !== 'index.ts' && !f.endsWith('.spec.ts'))
      .map((file) => ({ schema, file })),
  );

  it('are named <13-digit timestamp>-<PascalName>.ts with unique timestamps', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const { schema, file } of files) expect(file, `${schema}/${file}`).toMatch(FILE_NAME);
    const stamps = files.map(({ file }) => FILE_NAME.exec(file)?.[1]);
    expect(new Set(stamps).size).toBe(stamps.length);
  });

  it('are all registered, in order, with class names PascalName<timestamp> and a down()', () => {
    for (const { schema, migrations } of SCHEMAS) {
      const expected = files
        .filter((f) => f.schema === schema)
        .map(({ file }) => {
          const [, stamp, name] = FILE_NAME.exec(file)!;
          return `${name}${stamp}`;
        })
        .sort((a, b) => Number(a.slice(-13)) - Number(b.slice(-13)));
      expect(migrations.map((m) => m.name)).toEqual(expected);
      for (const Migration of migrations) expect(typeof new Migration().down).toBe('function');
    }
  });
});

describe('migrations against a real database', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('leave nothing for the entities to change (entities and migrations agree)', async () => {
    for (const { schema } of SCHEMAS) {
      const dataSource = new DataSource({
        type: 'postgres',
        url: database.url,
        schema,
        entities: ENTITIES[schema as keyof typeof ENTITIES],
        uuidExtension: 'pgcrypto',
        installExtensions: false,
      });
      await dataSource.initialize();
      try {
        const pending = await dataSource.driver.createSchemaBuilder().log();
        expect(
          pending.upQueries.map((q) => q.query),
          `pending DDL for ${schema}`,
        ).toEqual([]);
      } finally {
        await dataSource.destroy();
      }
    }
  });

  it('are a no-op when run again, and two concurrent runs do not collide', async () => {
    const runs = await Promise.all([migrate(database.url), migrate(database.url)]);
    expect(runs).toEqual([[], []]);
  });

  it('enable row-level security on every tenant-owned table', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ table: string; rls: boolean; policies: number }>(`
        SELECT n.nspname || '.' || c.relname AS table, c.relrowsecurity AS rls,
               (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname IN ('tenants', 'clusters', 'policies', 'telemetry')
          AND c.relname <> 'migrations'`);
      expect(rows.length).toBeGreaterThanOrEqual(5);
      for (const row of rows) expect(row, row.table).toMatchObject({ rls: true, policies: 1 });
    } finally {
      await client.end();
    }
  });

  it('revert cleanly with down(), and apply again', async () => {
    for (const { schema, migrations } of [...SCHEMAS].reverse()) {
      const dataSource = new DataSource({ type: 'postgres', url: database.url, schema, migrations });
      await dataSource.initialize();
      try {
        for (let i = 0; i < migrations.length; i += 1) await dataSource.undoLastMigration();
        const left = await dataSource.query(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name <> 'migrations'`,
          [schema],
        );
        expect(left, `tables left in ${schema}`).toEqual([]);
      } finally {
        await dataSource.destroy();
      }
    }
    const applied = await migrate(database.url);
    expect(applied).toHaveLength(SCHEMAS.reduce((n, s) => n + s.migrations.length, 0));
  });
});
