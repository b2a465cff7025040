import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../rls.js';

const APP_ROLE = 'meshplane_app';

/** Invitations on users, API tokens, and the append-only audit log. */
export class MembersTokensAudit1795622246606 implements MigrationInterface {
  name = 'MembersTokensAudit1795622246606';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "tenants"."api_tokens" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "name" text NOT NULL, "role" text NOT NULL, "secret_hash" text NOT NULL, "created_by_user_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_c587455266b5fa8dace7194caac" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "api_tokens_tenant_created_idx" ON "tenants"."api_tokens"  ("tenant_id", "created_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "tenants"."audit_events" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "service" text NOT NULL, "operation" text NOT NULL, "actor_kind" text NOT NULL, "actor_user_id" uuid, "actor_token_id" uuid, "target_type" text, "target_id" text, "arguments" jsonb NOT NULL, "outcome" text NOT NULL, "error_code" text, "correlation_id" text NOT NULL, CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "audit_events_tenant_time_idx" ON "tenants"."audit_events"  ("tenant_id", "occurred_at", "id") ',
    );
    await queryRunner.query('ALTER TABLE "tenants"."users" ADD "invitation_hash" text');
    await queryRunner.query(
      'ALTER TABLE "tenants"."users" ADD "invitation_expires_at" TIMESTAMP WITH TIME ZONE',
    );
    await queryRunner.query('ALTER TABLE "tenants"."users" ALTER COLUMN "password_hash" DROP NOT NULL');

    await enableTenantRls(queryRunner, '"tenants"."api_tokens"');
    await enableTenantRls(queryRunner, '"tenants"."audit_events"');
    // Append-only: the services' role may read and add, never change or remove, and a trigger
    // refuses changes from any role (the table owner included) short of dropping the table.
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON "tenants"."audit_events" FROM ${APP_ROLE}`);
    await queryRunner.query(`CREATE FUNCTION "tenants"."refuse_audit_change"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`CREATE TRIGGER "audit_events_append_only" BEFORE UPDATE OR DELETE ON "tenants"."audit_events"
      FOR EACH ROW EXECUTE FUNCTION "tenants"."refuse_audit_change"()`);
    await queryRunner.query(`CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "tenants"."audit_events"
      FOR EACH STATEMENT EXECUTE FUNCTION "tenants"."refuse_audit_change"()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER "audit_events_no_truncate" ON "tenants"."audit_events"');
    await queryRunner.query('DROP TRIGGER "audit_events_append_only" ON "tenants"."audit_events"');
    await queryRunner.query('DROP FUNCTION "tenants"."refuse_audit_change"()');
    await disableTenantRls(queryRunner, '"tenants"."audit_events"');
    await disableTenantRls(queryRunner, '"tenants"."api_tokens"');
    // Members still invited have no password and cannot survive the NOT NULL coming back.
    await queryRunner.query('DELETE FROM "tenants"."users" WHERE "password_hash" IS NULL');
    await queryRunner.query('ALTER TABLE "tenants"."users" ALTER COLUMN "password_hash" SET NOT NULL');
    await queryRunner.query('ALTER TABLE "tenants"."users" DROP COLUMN "invitation_expires_at"');
    await queryRunner.query('ALTER TABLE "tenants"."users" DROP COLUMN "invitation_hash"');
    await queryRunner.query('DROP INDEX "tenants"."audit_events_tenant_time_idx"');
    await queryRunner.query('DROP TABLE "tenants"."audit_events"');
    await queryRunner.query('DROP INDEX "tenants"."api_tokens_tenant_created_idx"');
    await queryRunner.query('DROP TABLE "tenants"."api_tokens"');
  }
}
