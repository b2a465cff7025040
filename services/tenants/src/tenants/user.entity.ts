import type { Role } from '@meshplane/platform';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** A member of one tenant: its login (email, password hash) and its role there. */
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

  /** argon2id. */
  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  @Column({ type: 'text' })
  role!: Role;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
