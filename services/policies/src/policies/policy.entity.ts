import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, Unique, UpdateDateColumn } from 'typeorm';
import type { StoredSpec } from './canonical-policy.js';

/**
 * The current state of a tenant's policy. Its history lives in `policy_versions`; a deleted
 * policy's row is removed (its versions stay, so it can be rolled back under the same id).
 */
@Entity({ schema: 'policies', name: 'policies' })
@Unique('policies_tenant_identity_key', ['tenantId', 'kind', 'namespace', 'name', 'staged'])
@Index('policies_tenant_tier_idx', ['tenantId', 'tier'])
export class PolicyEntity {
  /** Assigned by the service (a rollback of a deleted policy restores the same id). */
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  /** `NetworkPolicy` or `GlobalNetworkPolicy`. */
  @Column({ type: 'text' })
  kind!: string;

  /** The namespace of a NetworkPolicy; '' for a global one (so the unique key applies). */
  @Column({ type: 'text' })
  namespace!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Copied from the spec for filters and the tier-in-use check. */
  @Column({ type: 'text' })
  tier!: string;

  /** Copied from the spec: a staged policy is a separate Calico resource with the same name. */
  @Column({ type: 'boolean' })
  staged!: boolean;

  /** Canonical Calico spec, defaults applied. */
  @Column({ type: 'jsonb' })
  spec!: StoredSpec;

  @Column({ type: 'integer' })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
