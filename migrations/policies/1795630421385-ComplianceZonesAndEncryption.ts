import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../rls.js';

const TENANT_TABLES = ['"policies"."compliance_zones"', '"policies"."encryption_settings"'];

/** Compliance zones and WireGuard (encryption) settings, mesh-wide and per cluster. */
export class ComplianceZonesAndEncryption1795630421385 implements MigrationInterface {
  name = 'ComplianceZonesAndEncryption1795630421385';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "policies"."compliance_zones" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "name" text NOT NULL, "cluster_selector" text NOT NULL, "allowed_zones" text array NOT NULL DEFAULT \'{}\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "compliance_zones_tenant_name_key" UNIQUE ("tenant_id", "name"), CONSTRAINT "PK_b08784529636403d6b0b41face8" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "policies"."encryption_settings" ("tenant_id" uuid NOT NULL, "scope" text NOT NULL, "settings" jsonb NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_35889bc0060304c98023fc8c42c" PRIMARY KEY ("tenant_id", "scope"))',
    );
    for (const table of TENANT_TABLES) await enableTenantRls(queryRunner, table);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TENANT_TABLES) await disableTenantRls(queryRunner, table);
    await queryRunner.query('DROP TABLE "policies"."encryption_settings"');
    await queryRunner.query('DROP TABLE "policies"."compliance_zones"');
  }
}
