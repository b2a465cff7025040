import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The outbox of tenant deletions: one row per service that must remove the deleted tenant's data,
 * written in the transaction that deletes the tenant, removed once its job is queued. A row left
 * (Redis was down) is queued again by the sweeper, so no deletion is forgotten.
 */
@Entity({ schema: 'tenants', name: 'tenant_deletions' })
export class TenantDeletionEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  /** `clusters`, `policies` or `telemetry`. */
  @PrimaryColumn({ type: 'text' })
  service!: string;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;
}
