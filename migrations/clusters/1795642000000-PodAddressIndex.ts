import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A GIN index over pods' addresses (`object -> 'ips'`), for the telemetry worker's
 * `endpoints-by-ip` lookups (`?|` any of these addresses): without it each lookup reads every pod
 * of the tenant. Partial (pods only); TypeORM is told not to manage it (the entity's
 * `synchronize: false` index), since it cannot describe an expression index.
 */
export class PodAddressIndex1795642000000 implements MigrationInterface {
  name = 'PodAddressIndex1795642000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "inventory_objects_pod_ips_idx" ON "clusters"."inventory_objects" USING gin ((object -> 'ips')) WHERE kind = 'pod'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "clusters"."inventory_objects_pod_ips_idx"');
  }
}
