import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../rls.js';

/**
 * `policies.cluster_states` recorded which inventory keys changed per cluster, for a compiler that
 * would drain them; the compile worker brings its cached compiler up to date from the inventory
 * it reads instead, so nothing read the table and it only grew. Dropped.
 */
export class DropClusterStates1795637000000 implements MigrationInterface {
  name = 'DropClusterStates1795637000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await disableTenantRls(queryRunner, '"policies"."cluster_states"');
    await queryRunner.query('DROP TABLE "policies"."cluster_states"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "policies"."cluster_states" ("cluster_id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "inventory_epoch" integer NOT NULL, "pending_since" TIMESTAMP WITH TIME ZONE, "full_recompile" boolean NOT NULL DEFAULT false, "pending_keys" text array NOT NULL DEFAULT \'{}\', "pending_key_count" integer NOT NULL DEFAULT \'0\', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f4217ebff19e0613b8679f126c5" PRIMARY KEY ("cluster_id"))',
    );
    await enableTenantRls(queryRunner, '"policies"."cluster_states"');
  }
}
