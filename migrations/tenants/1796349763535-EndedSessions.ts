import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../rls.js';

/**
 * Sessions ended on the server (logout, or a refresh past its grace): a session token whose
 * `jti` is here is refused from `ended_at` on. Rows are pruned once `expires_at` (the token's own
 * expiry) has passed, over its index.
 */
export class EndedSessions1796349763535 implements MigrationInterface {
  name = 'EndedSessions1796349763535';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "tenants"."ended_sessions" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "ended_at" TIMESTAMP WITH TIME ZONE NOT NULL, "cause" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_c2d1dce559a1f0ecfdfc3a42585" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ended_sessions_expires_idx" ON "tenants"."ended_sessions"  ("expires_at") ',
    );
    await enableTenantRls(queryRunner, '"tenants"."ended_sessions"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await disableTenantRls(queryRunner, '"tenants"."ended_sessions"');
    await queryRunner.query('DROP INDEX "tenants"."ended_sessions_expires_idx"');
    await queryRunner.query('DROP TABLE "tenants"."ended_sessions"');
  }
}
