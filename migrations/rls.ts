import type { QueryRunner } from 'typeorm';

/** Must match the role in runner.ts and in libs/platform (TenantDb switches to it). */
const APP_ROLE = 'meshplane_app';

/**
 * Row-level security for a tenant-owned table: the app role sees and writes only rows of the
 * tenant pinned in `meshplane.tenant_id` for the transaction (TenantDb.tenant sets it).
 */
export async function enableTenantRls(queryRunner: QueryRunner, table: string, column = 'tenant_id') {
  const scope = `"${column}" = NULLIF(current_setting('meshplane.tenant_id', true), '')::uuid`;
  await queryRunner.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
  await queryRunner.query(
    `CREATE POLICY tenant_isolation ON ${table} TO ${APP_ROLE} USING (${scope}) WITH CHECK (${scope})`,
  );
  await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO ${APP_ROLE}`);
}

export async function disableTenantRls(queryRunner: QueryRunner, table: string) {
  await queryRunner.query(`REVOKE ALL ON ${table} FROM ${APP_ROLE}`);
  await queryRunner.query(`DROP POLICY IF EXISTS tenant_isolation ON ${table}`);
  await queryRunner.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
}
