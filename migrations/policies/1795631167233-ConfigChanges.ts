import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../rls.js';

/** Every change bundles are compiled from (policy versions, zones, encryption), for rollout status. */
export class ConfigChanges1795631167233 implements MigrationInterface {
  name = 'ConfigChanges1795631167233';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "policies"."config_changes" ("change_id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "reason" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "compiled_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_339ba77a7e4011bda92a5b51e04" PRIMARY KEY ("change_id"))',
    );
    await enableTenantRls(queryRunner, '"policies"."config_changes"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await disableTenantRls(queryRunner, '"policies"."config_changes"');
    await queryRunner.query('DROP TABLE "policies"."config_changes"');
  }
}
