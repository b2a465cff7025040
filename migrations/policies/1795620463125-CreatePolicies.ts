import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../rls.js';

export class CreatePolicies1795620463125 implements MigrationInterface {
  name = 'CreatePolicies1795620463125';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "policies"."tiers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "name" text NOT NULL, "order" double precision, "default_action" text NOT NULL DEFAULT \'Deny\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "tiers_tenant_name_key" UNIQUE ("tenant_id", "name"), CONSTRAINT "PK_908405492b9b2c2ae1cea1e1cc0" PRIMARY KEY ("id"))',
    );
    await enableTenantRls(queryRunner, '"policies"."tiers"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await disableTenantRls(queryRunner, '"policies"."tiers"');
    await queryRunner.query('DROP TABLE "policies"."tiers"');
  }
}
