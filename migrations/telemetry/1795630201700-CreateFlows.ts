import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../rls.js';

/**
 * `telemetry.flows`: enriched flow records, range-partitioned by day on `start_time`. The
 * telemetry worker creates each day's partition ahead of time (with the same row-level security
 * as the parent) and drops partitions past retention; no partition exists until it does. The
 * primary key makes storage idempotent by (cluster, seq): a re-sent record carries the same
 * `start_time`, so it lands in the same partition and conflicts there.
 */
export class CreateFlows1795630201700 implements MigrationInterface {
  name = 'CreateFlows1795630201700';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "telemetry"."flows" (
        "tenant_id" uuid NOT NULL,
        "cluster_id" uuid NOT NULL,
        "seq" bigint NOT NULL,
        "start_time" timestamptz NOT NULL,
        "end_time" timestamptz NOT NULL,
        "reporter" text NOT NULL,
        "action" text NOT NULL,
        "protocol" text NOT NULL,
        "src_cluster" text,
        "src_namespace" text NOT NULL,
        "src_workload" text NOT NULL,
        "src_name" text NOT NULL,
        "src_type" text NOT NULL,
        "src_labels" jsonb NOT NULL,
        "src_ip" inet,
        "src_port" integer,
        "src_service_account" text,
        "dst_cluster" text,
        "dst_namespace" text NOT NULL,
        "dst_workload" text NOT NULL,
        "dst_name" text NOT NULL,
        "dst_type" text NOT NULL,
        "dst_labels" jsonb NOT NULL,
        "dst_ip" inet,
        "dst_port" integer,
        "dst_service_account" text,
        "dst_service_namespace" text,
        "dst_service_name" text,
        "dst_service_port_name" text,
        "dst_service_port" integer,
        "policies" jsonb NOT NULL,
        "policy_names" text[] NOT NULL,
        "bytes_in" bigint NOT NULL,
        "bytes_out" bigint NOT NULL,
        "packets_in" bigint NOT NULL,
        "packets_out" bigint NOT NULL,
        "connections_started" integer NOT NULL,
        "connections_completed" integer NOT NULL,
        "connections_live" integer,
        "ingested_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_flows" PRIMARY KEY ("cluster_id", "seq", "start_time")
      ) PARTITION BY RANGE ("start_time")`);
    await queryRunner.query(
      'CREATE INDEX "IDX_flows_tenant_time" ON "telemetry"."flows" ("tenant_id", "start_time" DESC, "cluster_id" DESC, "seq" DESC)',
    );
    await enableTenantRls(queryRunner, '"telemetry"."flows"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await disableTenantRls(queryRunner, '"telemetry"."flows"');
    // Dropping the parent drops every partition the worker created.
    await queryRunner.query('DROP TABLE "telemetry"."flows"');
  }
}
