import { DataSource, type EntityManager, type MixedList } from 'typeorm';

/** The role tenant-scoped transactions switch to; row-level security applies to it. */
export const APP_ROLE = 'meshplane_app';

// biome-ignore lint/complexity/noBannedTypes: TypeORM's own type for entity classes.
export type EntityList = MixedList<Function | string>;

export interface DataSourceOptions {
  url: string;
  /** The Postgres schema this service owns. */
  schema: string;
  entities: EntityList;
  poolSize?: number;
  applicationName?: string;
}

/** A TypeORM data source for one service's schema. Never synchronizes: migrations own the DDL. */
export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    applicationName: options.applicationName ?? `meshplane-${options.schema}`,
    extra: { max: options.poolSize ?? 10, connectionTimeoutMillis: 5_000 },
  });
}

/**
 * Tenant-scoped database access. `tenant()` runs its work in a transaction that switches to the
 * row-level-security role and pins `meshplane.tenant_id`, so even a query that forgot its
 * `tenant_id` filter sees only that tenant's rows. `system()` is for the few paths that are not
 * tenant-scoped (sign-up, login lookups, workers that resolve the tenant themselves).
 */
export class TenantDb {
  constructor(readonly dataSource: DataSource) {}

  tenant<T>(tenantId: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL ROLE ${APP_ROLE}`);
      await manager.query(`SELECT set_config('meshplane.tenant_id', $1, true)`, [tenantId]);
      return work(manager);
    });
  }

  system<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
