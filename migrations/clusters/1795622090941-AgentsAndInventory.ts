import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../rls.js';

export class AgentsAndInventory1795622090941 implements MigrationInterface {
  name = 'AgentsAndInventory1795622090941';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "clusters"."agent_credentials" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "cluster_id" uuid NOT NULL, "secret_hash" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1fe0ccf5d2193e832d0a445fba4" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_e5e3d9d5229930509a3eacafd6" ON "clusters"."agent_credentials"  ("cluster_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "clusters"."install_tokens" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "cluster_id" uuid NOT NULL, "secret_hash" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_57c73005938b6f8e84d7809915c" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_89fe28411498bfb15bfafb7685" ON "clusters"."install_tokens"  ("cluster_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "clusters"."inventory_objects" ("cluster_id" uuid NOT NULL, "kind" text NOT NULL, "namespace" text NOT NULL, "name" text NOT NULL, "tenant_id" uuid NOT NULL, "object" jsonb NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7de61174bbcc41bdfc405c5a2c2" PRIMARY KEY ("cluster_id", "kind", "namespace", "name"))',
    );
    await queryRunner.query(
      'CREATE INDEX "inventory_objects_tenant_kind_idx" ON "clusters"."inventory_objects"  ("tenant_id", "kind", "namespace", "name") ',
    );
    await queryRunner.query('ALTER TABLE "clusters"."clusters" ADD "revoked_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query(
      'ALTER TABLE "clusters"."clusters" ADD "session_epoch" integer NOT NULL DEFAULT \'0\'',
    );
    await queryRunner.query(
      'ALTER TABLE "clusters"."clusters" ADD "inventory_epoch" integer NOT NULL DEFAULT \'0\'',
    );
    await queryRunner.query(
      'ALTER TABLE "clusters"."clusters" ADD "inventory_seq" integer NOT NULL DEFAULT \'0\'',
    );
    await queryRunner.query('ALTER TABLE "clusters"."clusters" ADD "agent_version" text');
    await queryRunner.query('ALTER TABLE "clusters"."clusters" ADD "kubernetes_version" text');
    await queryRunner.query('ALTER TABLE "clusters"."clusters" ADD "node_count" integer');
    await queryRunner.query('ALTER TABLE "clusters"."clusters" ADD "last_seen_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "clusters"."clusters" ADD "last_error" text');
    await enableTenantRls(queryRunner, '"clusters"."agent_credentials"');
    await enableTenantRls(queryRunner, '"clusters"."install_tokens"');
    await enableTenantRls(queryRunner, '"clusters"."inventory_objects"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await disableTenantRls(queryRunner, '"clusters"."agent_credentials"');
    await disableTenantRls(queryRunner, '"clusters"."install_tokens"');
    await disableTenantRls(queryRunner, '"clusters"."inventory_objects"');
    await queryRunner.query('ALTER TABLE "clusters"."clusters" DROP COLUMN "last_error"');
    await queryRunner.query('ALTER TABLE "clusters"."clusters" DROP COLUMN "last_seen_at"');
    await queryRunner.query('ALTER TABLE "clusters"."clusters" DROP COLUMN "node_count"');
    await queryRunner.query('ALTER TABLE "clusters"."clusters" DROP COLUMN "kubernetes_version"');
    await queryRunner.query('ALTER TABLE "clusters"."clusters" DROP COLUMN "agent_version"');
    await queryRunner.query('ALTER TABLE "clusters"."clusters" DROP COLUMN "inventory_seq"');
    await queryRunner.query('ALTER TABLE "clusters"."clusters" DROP COLUMN "inventory_epoch"');
    await queryRunner.query('ALTER TABLE "clusters"."clusters" DROP COLUMN "session_epoch"');
    await queryRunner.query('ALTER TABLE "clusters"."clusters" DROP COLUMN "revoked_at"');
    await queryRunner.query('DROP INDEX "clusters"."inventory_objects_tenant_kind_idx"');
    await queryRunner.query('DROP TABLE "clusters"."inventory_objects"');
    await queryRunner.query('DROP INDEX "clusters"."IDX_89fe28411498bfb15bfafb7685"');
    await queryRunner.query('DROP TABLE "clusters"."install_tokens"');
    await queryRunner.query('DROP INDEX "clusters"."IDX_e5e3d9d5229930509a3eacafd6"');
    await queryRunner.query('DROP TABLE "clusters"."agent_credentials"');
  }
}
