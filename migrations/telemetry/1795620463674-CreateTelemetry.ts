import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../rls.js';

export class CreateTelemetry1795620463674 implements MigrationInterface {
  name = 'CreateTelemetry1795620463674';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "telemetry"."tenant_settings" ("tenant_id" uuid NOT NULL, "retention_days" integer NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a6abc1c3ed0df635955fc852f1c" PRIMARY KEY ("tenant_id"))',
    );
    await enableTenantRls(queryRunner, '"telemetry"."tenant_settings"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await disableTenantRls(queryRunner, '"telemetry"."tenant_settings"');
    await queryRunner.query('DROP TABLE "telemetry"."tenant_settings"');
  }
}
