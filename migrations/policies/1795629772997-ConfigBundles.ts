import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../rls.js';

const TENANT_TABLES = [
  '"policies"."compile_requests"',
  '"policies"."compile_states"',
  '"policies"."cluster_bundles"',
  '"policies"."cluster_configs"',
];

/** Versioned per-cluster config bundles, compile requests and per-cluster rollout state. */
export class ConfigBundles1795629772997 implements MigrationInterface {
  name = 'ConfigBundles1795629772997';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "policies"."compile_requests" ("id" BIGSERIAL NOT NULL, "tenant_id" uuid NOT NULL, "change_id" uuid, "reason" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_fdc8a650ddb75f379797734ccbe" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "compile_requests_tenant_idx" ON "policies"."compile_requests"  ("tenant_id", "id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "policies"."compile_states" ("tenant_id" uuid NOT NULL, "compiled_request_id" bigint NOT NULL, "compiled_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_error" text, CONSTRAINT "PK_c32f2b1e475c55a58afc4892cea" PRIMARY KEY ("tenant_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "policies"."cluster_bundles" ("cluster_id" uuid NOT NULL, "version" integer NOT NULL, "tenant_id" uuid NOT NULL, "hash" text NOT NULL, "objects" jsonb NOT NULL, "change_ids" uuid array NOT NULL DEFAULT \'{}\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1c79d7cee9d426bc04998ce6099" PRIMARY KEY ("cluster_id", "version"))',
    );
    await queryRunner.query(
      'CREATE INDEX "cluster_bundles_change_ids_idx" ON "policies"."cluster_bundles" USING GIN ("change_ids")',
    );
    await queryRunner.query(
      'CREATE TABLE "policies"."cluster_configs" ("cluster_id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "desired_version" integer NOT NULL, "applied_version" integer NOT NULL DEFAULT \'0\', "result_version" integer NOT NULL DEFAULT \'0\', "result_complete" boolean NOT NULL DEFAULT false, "result_failures" jsonb NOT NULL DEFAULT \'[]\', "result_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_55a509fc413ff4a0af5cbddaec6" PRIMARY KEY ("cluster_id"))',
    );
    for (const table of TENANT_TABLES) await enableTenantRls(queryRunner, table);
    await queryRunner.query('GRANT USAGE ON SEQUENCE "policies"."compile_requests_id_seq" TO meshplane_app');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'REVOKE USAGE ON SEQUENCE "policies"."compile_requests_id_seq" FROM meshplane_app',
    );
    for (const table of TENANT_TABLES) await disableTenantRls(queryRunner, table);
    await queryRunner.query('DROP TABLE "policies"."cluster_configs"');
    await queryRunner.query('DROP INDEX "policies"."cluster_bundles_change_ids_idx"');
    await queryRunner.query('DROP TABLE "policies"."cluster_bundles"');
    await queryRunner.query('DROP TABLE "policies"."compile_states"');
    await queryRunner.query('DROP INDEX "policies"."compile_requests_tenant_idx"');
    await queryRunner.query('DROP TABLE "policies"."compile_requests"');
  }
}
