import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../rls.js';

/**
 * `telemetry.flow_rollups`: per tenant and minute, the stored flows summed by source and
 * destination (cluster, namespace, workload, type), destination Service, verdict, protocol and
 * destination port. The ingest worker adds to it in the transaction that stores the flows, from
 * the rows actually inserted, so a re-sent batch adds nothing. Ends without
 * a cluster, Service or port are stored as '' / 0 so that they take part in the key.
 */
export class CreateFlowRollups1795631305378 implements MigrationInterface {
  name = 'CreateFlowRollups1795631305378';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "telemetry"."flow_rollups" (
        "tenant_id" uuid NOT NULL,
        "minute" timestamptz NOT NULL,
        "src_cluster" text NOT NULL,
        "src_namespace" text NOT NULL,
        "src_workload" text NOT NULL,
        "src_type" text NOT NULL,
        "dst_cluster" text NOT NULL,
        "dst_namespace" text NOT NULL,
        "dst_workload" text NOT NULL,
        "dst_type" text NOT NULL,
        "dst_service" text NOT NULL,
        "action" text NOT NULL,
        "protocol" text NOT NULL,
        "dst_port" integer NOT NULL,
        "bytes_in" bigint NOT NULL,
        "bytes_out" bigint NOT NULL,
        "packets_in" bigint NOT NULL,
        "packets_out" bigint NOT NULL,
        "connections" bigint NOT NULL,
        "flows" bigint NOT NULL,
        "policies" text[] NOT NULL,
        CONSTRAINT "PK_flow_rollups" PRIMARY KEY ("tenant_id", "minute", "src_cluster", "src_namespace",
          "src_workload", "src_type", "dst_cluster", "dst_namespace", "dst_workload", "dst_type",
          "dst_service", "action", "protocol", "dst_port")
      )`);
    await enableTenantRls(queryRunner, '"telemetry"."flow_rollups"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await disableTenantRls(queryRunner, '"telemetry"."flow_rollups"');
    await queryRunner.query('DROP TABLE "telemetry"."flow_rollups"');
  }
}
