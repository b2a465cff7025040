import type { Role } from '@meshplane/platform';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * A member of one tenant: its login (email, password hash) and its role there. A member added by
 * `inviteMember` has no password until it accepts the invitation, and cannot sign in before.
 */
@Entity({ schema: 'tenants', name: 'users' })
@Unique('users_tenant_email_key', ['tenantId', 'email'])
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  /** Stored lower-cased. */
  @Column({ type: 'text' })
  email!: string;

  /** argon2id; null while the invitation is pending. */
  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash!: string | null;

  @Column({ type: 'text' })
  role!: Role;

  /** argon2id of the pending invitation's secret; null once accepted. */
  @Column({ name: 'invitation_hash', type: 'text', nullable: true })
  invitationHash!: string | null;

  @Column({ name: 'invitation_expires_at', type: 'timestamptz', nullable: true })
  invitationExpiresAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** True once the member has a password (its invitation, if any, was accepted). */
export function isActiveMember(user: Pick<UserEntity, 'passwordHash'>): boolean {
  return user.passwordHash !== null;
}
