import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ChangeSetOperation } from './change-set-documents.js';

/**
 * A planned change set (`planChangeSet`): the operations it would apply and the revision of the
 * tenant's objects it was computed against. Kept until it expires or is applied; applying it
 * again, or after the objects moved, is refused.
 */
@Entity({ schema: 'policies', name: 'change_set_plans' })
@Index('change_set_plans_tenant_expiry_idx', ['tenantId', 'expiresAt'])
export class ChangeSetPlanEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  /** sha256 of the tenant's tiers and policies (canonical documents) when planned. */
  @Column({ type: 'text' })
  revision!: string;

  /** Creates, updates and deletes in the order they apply (unchanged objects are not kept). */
  @Column({ type: 'jsonb' })
  operations!: ChangeSetOperation[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  /** The change that applied it; null while it has not been applied. */
  @Column({ name: 'applied_change_id', type: 'uuid', nullable: true })
  appliedChangeId!: string | null;
}
