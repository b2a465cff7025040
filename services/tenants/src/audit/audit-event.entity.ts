import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One audited mutation of any service. Append-only: the app role may only SELECT and INSERT,
 * and a trigger refuses UPDATE, DELETE and TRUNCATE for everyone (see the migration).
 */
@Entity({ schema: 'tenants', name: 'audit_events' })
@Index('audit_events_tenant_time_idx', ['tenantId', 'occurredAt', 'id'])
export class AuditEventEntity {
  /** The producer's event id (also the queue job id), so a redelivered event is stored once. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ type: 'text' })
  service!: string;

  @Column({ type: 'text' })
  operation!: string;

  @Column({ name: 'actor_kind', type: 'text' })
  actorKind!: string;

  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId!: string | null;

  @Column({ name: 'actor_token_id', type: 'uuid', nullable: true })
  actorTokenId!: string | null;

  @Column({ name: 'target_type', type: 'text', nullable: true })
  targetType!: string | null;

  @Column({ name: 'target_id', type: 'text', nullable: true })
  targetId!: string | null;

  /** The mutation's arguments with secrets redacted. */
  @Column({ type: 'jsonb' })
  arguments!: Record<string, unknown>;

  @Column({ type: 'text' })
  outcome!: string;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode!: string | null;

  @Column({ name: 'correlation_id', type: 'text' })
  correlationId!: string;
}
