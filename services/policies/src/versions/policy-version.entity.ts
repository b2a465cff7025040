import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { StoredSpec } from '../policies/canonical-policy.js';

/** One immutable version of a policy: written by every create, update, delete and rollback. */
@Entity({ schema: 'policies', name: 'policy_versions' })
@Unique('policy_versions_policy_version_key', ['policyId', 'version'])
/** A change set (`applyChangeSet`) writes the versions of all its policies under one change id. */
@Index('policy_versions_change_idx', ['changeId'])
export class PolicyVersionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  /** No foreign key: versions outlive the policy row they describe. */
  @Column({ name: 'policy_id', type: 'uuid' })
  policyId!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'change_id', type: 'uuid' })
  changeId!: string;

  /** `Created`, `Updated`, `Deleted` or `RolledBack`. */
  @Column({ type: 'text' })
  change!: string;

  @Column({ name: 'restored_version', type: 'integer', nullable: true })
  restoredVersion!: number | null;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'text' })
  namespace!: string;

  @Column({ type: 'text' })
  name!: string;

  /** The spec after the change (for a delete: the spec that was deleted). */
  @Column({ type: 'jsonb' })
  spec!: StoredSpec;

  @Column({ name: 'author_user_id', type: 'uuid', nullable: true })
  authorUserId!: string | null;

  @Column({ name: 'author_token_id', type: 'uuid', nullable: true })
  authorTokenId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
