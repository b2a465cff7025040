import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../rls.js';

/**
 * `telemetry.http_rollups`: per minute and edge (source workload → destination workload, as the
 * service graph names them; an unresolved end has cluster '' and the address as workload), the
 * number of HTTP requests by status class and a DDSketch of their latency (`latency_sketch`, the
 * sketch's protobuf encoding from `@datadog/sketches-js`), so percentiles over any window merge
 * sketches instead of averaging percentiles. Written by the telemetry worker from the rows it
 * inserted (each request counted once); kept for the tenant's retention.
 */
export class CreateHttpRollups1796419528763 implements MigrationInterface {
  name = 'CreateHttpRollups1796419528763';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "telemetry"."http_rollups" (
        "tenant_id" uuid NOT NULL,
        "minute" timestamptz NOT NULL,
        "src_cluster" text NOT NULL,
        "src_namespace" text NOT NULL,
        "src_workload" text NOT NULL,
        "dst_cluster" text NOT NULL,
        "dst_namespace" text NOT NULL,
        "dst_workload" text NOT NULL,
        "requests" bigint NOT NULL,
        "status_1xx" bigint NOT NULL,
        "status_2xx" bigint NOT NULL,
        "status_3xx" bigint NOT NULL,
        "status_4xx" bigint NOT NULL,
        "status_5xx" bigint NOT NULL,
        "no_response" bigint NOT NULL,
        "latency_sketch" bytea NOT NULL,
        CONSTRAINT "PK_http_rollups" PRIMARY KEY ("tenant_id", "minute", "src_cluster", "src_namespace", "src_workload", "dst_cluster", "dst_namespace", "dst_workload")
      )`);
    await enableTenantRls(queryRunner, '"telemetry"."http_rollups"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await disableTenantRls(queryRunner, '"telemetry"."http_rollups"');
    await queryRunner.query('DROP TABLE "telemetry"."http_rollups"');
  }
}
