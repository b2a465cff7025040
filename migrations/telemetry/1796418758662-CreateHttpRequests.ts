import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../rls.js';

/**
 * `telemetry.http_requests`: L7 records (HTTP requests from node-level Envoys' access logs),
 * both ends enriched, range-partitioned by day on `start_time` like `telemetry.flows` (the
 * worker creates and drops the `http_requests_pYYYYMMDD` partitions with the flows' ones, with the
 * same row-level security). Idempotent by (cluster, seq) of the agent's HTTP stream. The path is
 * the agent's templated path; the check constraint refuses any `?` or `#`, so a query string
 * cannot be stored even by a faulty writer.
 */
export class CreateHttpRequests1796418758662 implements MigrationInterface {
  name = 'CreateHttpRequests1796418758662';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "telemetry"."http_requests" (
        "tenant_id" uuid NOT NULL,
        "cluster_id" uuid NOT NULL,
        "seq" bigint NOT NULL,
        "start_time" timestamptz NOT NULL,
        "method" text NOT NULL,
        "authority" text NOT NULL,
        "path" text NOT NULL,
        "response_code" smallint NOT NULL,
        "duration_ms" integer NOT NULL,
        "request_bytes" bigint NOT NULL,
        "response_bytes" bigint NOT NULL,
        "protocol" text NOT NULL,
        "request_id" text,
        "upstream_cluster" text,
        "src_cluster" text,
        "src_namespace" text NOT NULL,
        "src_workload" text NOT NULL,
        "src_name" text NOT NULL,
        "src_labels" jsonb NOT NULL,
        "src_ip" inet NOT NULL,
        "src_port" integer NOT NULL,
        "dst_cluster" text,
        "dst_namespace" text NOT NULL,
        "dst_workload" text NOT NULL,
        "dst_name" text NOT NULL,
        "dst_labels" jsonb NOT NULL,
        "dst_ip" inet NOT NULL,
        "dst_port" integer NOT NULL,
        "ingested_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "CHK_http_requests_path" CHECK ("path" LIKE '/%' AND "path" !~ '[?#]' AND length("path") <= 256),
        CONSTRAINT "PK_http_requests" PRIMARY KEY ("cluster_id", "seq", "start_time")
      ) PARTITION BY RANGE ("start_time")`);
    await queryRunner.query(
      'CREATE INDEX "IDX_http_requests_tenant_time" ON "telemetry"."http_requests" ("tenant_id", "start_time" DESC, "cluster_id" DESC, "seq" DESC)',
    );
    await enableTenantRls(queryRunner, '"telemetry"."http_requests"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await disableTenantRls(queryRunner, '"telemetry"."http_requests"');
    await queryRunner.query('DROP TABLE "telemetry"."http_requests"');
  }
}
