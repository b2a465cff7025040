import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../rls.js';

/**
 * The clusters service's outbox: jobs that announce a change, written in the change's transaction
 * and deleted once Redis has them (libs/platform Outbox). Tenant-scoped transactions write it, so
 * the app role gets the table under row-level security and the id sequence.
 */
export class Outbox1796417911470 implements MigrationInterface {
  name = 'Outbox1796417911470';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "clusters"."outbox" ("id" BIGSERIAL NOT NULL, "tenant_id" uuid, "queue" text NOT NULL, "job_id" text, "payload" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_340ab539f309f03bdaa14aa7649" PRIMARY KEY ("id"))',
    );
    await enableTenantRls(queryRunner, '"clusters"."outbox"');
    await queryRunner.query('GRANT USAGE ON SEQUENCE "clusters"."outbox_id_seq" TO meshplane_app');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('REVOKE USAGE ON SEQUENCE "clusters"."outbox_id_seq" FROM meshplane_app');
    await disableTenantRls(queryRunner, '"clusters"."outbox"');
    await queryRunner.query('DROP TABLE "clusters"."outbox"');
  }
}
