import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../rls.js';

/**
 * Change sets (`planChangeSet` / `applyChangeSet`): stored plans, and one change id shared by the
 * versions of every policy a change set touches (so `policy_versions.change_id` is no longer
 * unique, only indexed). `down` restores the unique constraint, which fails once a change set has
 * been applied.
 */
export class ChangeSetPlans1796417996603 implements MigrationInterface {
  name = 'ChangeSetPlans1796417996603';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "policies"."change_set_plans" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "revision" text NOT NULL, "operations" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "applied_change_id" uuid, CONSTRAINT "PK_4afe98f9fc6e323675dc8358793" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "change_set_plans_tenant_expiry_idx" ON "policies"."change_set_plans"  ("tenant_id", "expires_at") ',
    );
    await enableTenantRls(queryRunner, '"policies"."change_set_plans"');
    await queryRunner.query(
      'ALTER TABLE "policies"."policy_versions" DROP CONSTRAINT "policy_versions_change_key"',
    );
    await queryRunner.query(
      'CREATE INDEX "policy_versions_change_idx" ON "policies"."policy_versions"  ("change_id") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "policies"."policy_versions_change_idx"');
    await queryRunner.query(
      'ALTER TABLE "policies"."policy_versions" ADD CONSTRAINT "policy_versions_change_key" UNIQUE ("change_id")',
    );
    await disableTenantRls(queryRunner, '"policies"."change_set_plans"');
    await queryRunner.query('DROP INDEX "policies"."change_set_plans_tenant_expiry_idx"');
    await queryRunner.query('DROP TABLE "policies"."change_set_plans"');
  }
}
