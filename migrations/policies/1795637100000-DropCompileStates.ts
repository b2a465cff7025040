import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../rls.js';

/**
 * `policies.compile_states` (newest compiled request and last error per tenant) was written on
 * every compile and read by nothing: pending work is the compile requests themselves, and a
 * failed compile is logged and kept by BullMQ as a failed job. Dropped.
 */
export class DropCompileStates1795637100000 implements MigrationInterface {
  name = 'DropCompileStates1795637100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await disableTenantRls(queryRunner, '"policies"."compile_states"');
    await queryRunner.query('DROP TABLE "policies"."compile_states"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "policies"."compile_states" ("tenant_id" uuid NOT NULL, "compiled_request_id" bigint NOT NULL, "compiled_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_error" text, CONSTRAINT "PK_c32f2b1e475c55a58afc4892cea" PRIMARY KEY ("tenant_id"))',
    );
    await enableTenantRls(queryRunner, '"policies"."compile_states"');
  }
}
