import { DataSource } from 'typeorm';

const entityModules = {
  tenants: ['../../services/tenants/dist/entities.js', 'tenantsEntities'],
  clusters: ['../../services/clusters/dist/entities.js', 'clustersEntities'],
  policies: ['../../services/policies/dist/entities.js', 'policiesEntities'],
  telemetry: ['../../services/telemetry/dist/entities.js', 'telemetryEntities'],
};

/** The DDL TypeORM would run to make `schema` match its service's (built) entities. */
export async function pendingSchemaChanges(url, schema) {
  const entry = entityModules[schema];
  if (!entry) throw new Error(`unknown schema ${schema}; one of ${Object.keys(entityModules).join(', ')}`);
  const module = await import(new URL(entry[0], import.meta.url).href);
  const dataSource = new DataSource({
    type: 'postgres',
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    url,
    schema,
    entities: module[entry[1]],
  });
  await dataSource.initialize();
  try {
    const sql = await dataSource.driver.createSchemaBuilder().log();
    return { up: sql.upQueries.map((q) => q.query), down: sql.downQueries.map((q) => q.query) };
  } finally {
    await dataSource.destroy();
  }
}
