import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../rls.js';

const TENANT_TABLES = [
  '"policies"."policies"',
  '"policies"."policy_versions"',
  '"policies"."cluster_states"',
];

export class PoliciesAndVersions1795623599212 implements MigrationInterface {
  name = 'PoliciesAndVersions1795623599212';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "policies"."cluster_states" ("cluster_id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "inventory_epoch" integer NOT NULL, "pending_since" TIMESTAMP WITH TIME ZONE, "full_recompile" boolean NOT NULL DEFAULT false, "pending_keys" text array NOT NULL DEFAULT \'{}\', "pending_key_count" integer NOT NULL DEFAULT \'0\', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f4217ebff19e0613b8679f126c5" PRIMARY KEY ("cluster_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "policies"."policies" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "kind" text NOT NULL, "namespace" text NOT NULL, "name" text NOT NULL, "tier" text NOT NULL, "staged" boolean NOT NULL, "spec" jsonb NOT NULL, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "policies_tenant_identity_key" UNIQUE ("tenant_id", "kind", "namespace", "name", "staged"), CONSTRAINT "PK_603e09f183df0108d8695c57e28" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "policies_tenant_tier_idx" ON "policies"."policies"  ("tenant_id", "tier") ',
    );
    await queryRunner.query(
      'CREATE TABLE "policies"."policy_versions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "policy_id" uuid NOT NULL, "version" integer NOT NULL, "change_id" uuid NOT NULL, "change" text NOT NULL, "restored_version" integer, "kind" text NOT NULL, "namespace" text NOT NULL, "name" text NOT NULL, "spec" jsonb NOT NULL, "author_user_id" uuid, "author_token_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "policy_versions_change_key" UNIQUE ("change_id"), CONSTRAINT "policy_versions_policy_version_key" UNIQUE ("policy_id", "version"), CONSTRAINT "PK_125d2970fc66a316f84af16812e" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'ALTER TABLE "policies"."tiers" ADD "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()',
    );
    for (const table of TENANT_TABLES) await enableTenantRls(queryRunner, table);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TENANT_TABLES) await disableTenantRls(queryRunner, table);
    await queryRunner.query('ALTER TABLE "policies"."tiers" DROP COLUMN "updated_at"');
    await queryRunner.query('DROP TABLE "policies"."policy_versions"');
    await queryRunner.query('DROP INDEX "policies"."policies_tenant_tier_idx"');
    await queryRunner.query('DROP TABLE "policies"."policies"');
    await queryRunner.query('DROP TABLE "policies"."cluster_states"');
  }
}
