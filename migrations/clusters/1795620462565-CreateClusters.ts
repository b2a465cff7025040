import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../rls.js';

export class CreateClusters1795620462565 implements MigrationInterface {
  name = 'CreateClusters1795620462565';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "clusters"."clusters" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "name" text NOT NULL, "labels" jsonb NOT NULL DEFAULT \'{}\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "clusters_tenant_name_key" UNIQUE ("tenant_id", "name"), CONSTRAINT "PK_56c8e201f375e1e961dcdd6831c" PRIMARY KEY ("id"))',
    );
    await enableTenantRls(queryRunner, '"clusters"."clusters"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await disableTenantRls(queryRunner, '"clusters"."clusters"');
    await queryRunner.query('DROP TABLE "clusters"."clusters"');
  }
}
