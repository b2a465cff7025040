import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../rls.js';

/**
 * Bundle objects stored once per tenant and content hash (policies.bundle_contents) instead of
 * once per cluster and version: a change that reaches a thousand clusters with equal bundles
 * writes one content row. Existing versions keep their objects (moved, deduplicated).
 */
export class BundleContents1795633899600 implements MigrationInterface {
  name = 'BundleContents1795633899600';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "policies"."bundle_contents" ("tenant_id" uuid NOT NULL, "hash" text NOT NULL, "objects" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7dcfdbe8d39441be52feb8f484e" PRIMARY KEY ("tenant_id", "hash"))',
    );
    await queryRunner.query(
      `INSERT INTO "policies"."bundle_contents" ("tenant_id", "hash", "objects")
       SELECT DISTINCT ON ("tenant_id", "hash") "tenant_id", "hash", "objects" FROM "policies"."cluster_bundles"`,
    );
    await queryRunner.query('ALTER TABLE "policies"."cluster_bundles" DROP COLUMN "objects"');
    await queryRunner.query(
      'CREATE INDEX "cluster_bundles_tenant_hash_idx" ON "policies"."cluster_bundles"  ("tenant_id", "hash") ',
    );
    await enableTenantRls(queryRunner, '"policies"."bundle_contents"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await disableTenantRls(queryRunner, '"policies"."bundle_contents"');
    await queryRunner.query('DROP INDEX "policies"."cluster_bundles_tenant_hash_idx"');
    await queryRunner.query('ALTER TABLE "policies"."cluster_bundles" ADD "objects" jsonb');
    await queryRunner.query(
      `UPDATE "policies"."cluster_bundles" b SET "objects" = c."objects" FROM "policies"."bundle_contents" c
        WHERE c."tenant_id" = b."tenant_id" AND c."hash" = b."hash"`,
    );
    await queryRunner.query('ALTER TABLE "policies"."cluster_bundles" ALTER COLUMN "objects" SET NOT NULL');
    await queryRunner.query('DROP TABLE "policies"."bundle_contents"');
  }
}
