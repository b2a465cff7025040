#!/usr/bin/env node
/**
 * `npm run migration:generate -- <schema> <PascalName>`: writes a migration with the DDL that
 * would bring the database (migrated to date) in line with the schema's entities. Needs a build
 * (`npm run build`) and a migrated database. Review the file, add RLS policies and grants for
 * new tenant tables, and register it in migrations/<schema>/index.ts.
 */
import { writeFileSync } from 'node:fs';
import { pendingSchemaChanges } from './schema-diff.mjs';

const [schema, name] = process.argv.slice(2);
if (!schema || !/^[A-Z][A-Za-z0-9]+$/.test(name ?? '')) {
  console.error('usage: npm run migration:generate -- <schema> <PascalName>');
  process.exit(2);
}
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/meshplane';
const { up, down } = await pendingSchemaChanges(url, schema);
if (up.length === 0) {
  console.log(`no changes: the ${schema} entities and migrations agree`);
  process.exit(0);
}
const timestamp = Date.now();
const q = (query) => `    await queryRunner.query(${JSON.stringify(query)});`;
const body = `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${name}${timestamp} implements MigrationInterface {
  name = '${name}${timestamp}';

  async up(queryRunner: QueryRunner): Promise<void> {
${up.map(q).join('\n')}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${down.reverse().map(q).join('\n')}
  }
}
`;
const file = `migrations/${schema}/${timestamp}-${name}.ts`;
writeFileSync(file, body);
console.log(`wrote ${file}`);
