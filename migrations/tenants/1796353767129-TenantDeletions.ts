import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../rls.js';

/**
 * The outbox of tenant deletions: one row per service that must remove a deleted tenant's data,
 * written with the deletion and removed once its job is queued (the tenants service's sweep
 * queues the rows left again). Read and written by the tenants service's system connection only.
 */
export class TenantDeletions1796353767129 implements MigrationInterface {
  name = 'TenantDeletions1796353767129';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "tenants"."tenant_deletions" ("tenant_id" uuid NOT NULL, "service" text NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_75910c3c1ac503fdb3788433c15" PRIMARY KEY ("tenant_id", "service"))',
    );
    await enableTenantRls(queryRunner, '"tenants"."tenant_deletions"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await disableTenantRls(queryRunner, '"tenants"."tenant_deletions"');
    await queryRunner.query('DROP TABLE "tenants"."tenant_deletions"');
  }
}
