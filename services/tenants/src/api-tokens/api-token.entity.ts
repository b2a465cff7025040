import type { Role } from '@meshplane/platform';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * An API token for automation. Its secret is shown once; only an argon2id hash of it is kept.
 * The id is embedded in the token (`mpt_<id>_<secret>`) so authentication is one primary-key
 * lookup plus one hash verification.
 */
@Entity({ schema: 'tenants', name: 'api_tokens' })
@Index('api_tokens_tenant_created_idx', ['tenantId', 'createdAt'])
export class ApiTokenEntity {
  /** Chosen by the service (it is part of the secret), not by the database. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'text' })
  name!: string;

  /** The most the token may do; it never acts above its creator's current role either. */
  @Column({ type: 'text' })
  role!: Role;

  @Column({ name: 'secret_hash', type: 'text' })
  secretHash!: string;

  @Column({ name: 'created_by_user_id', type: 'uuid' })
  createdByUserId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  /** Updated at most once a minute, so busy automation does not write on every request. */
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
