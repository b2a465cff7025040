import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../rls.js';

/**
 * `telemetry.flow_drops`: flow records an agent dropped from its full buffer (oldest first), as
 * the telemetry batches report them. One row per batch, keyed by where the batch started: a batch
 * pulled again after a lost acknowledgement starts at the same sequence number and carries the
 * same (or a larger) count, so it updates its row instead of adding to the total.
 */
export class CreateFlowDrops1795641000000 implements MigrationInterface {
  name = 'CreateFlowDrops1795641000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "telemetry"."flow_drops" (
        "tenant_id" uuid NOT NULL,
        "cluster_id" uuid NOT NULL,
        "from_seq" bigint NOT NULL,
        "dropped" bigint NOT NULL,
        "reported_at" timestamptz NOT NULL,
        CONSTRAINT "PK_flow_drops" PRIMARY KEY ("cluster_id", "from_seq")
      )`);
    await queryRunner.query(
      'CREATE INDEX "IDX_flow_drops_tenant_time" ON "telemetry"."flow_drops" ("tenant_id", "reported_at")',
    );
    await enableTenantRls(queryRunner, '"telemetry"."flow_drops"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await disableTenantRls(queryRunner, '"telemetry"."flow_drops"');
    await queryRunner.query('DROP TABLE "telemetry"."flow_drops"');
  }
}
