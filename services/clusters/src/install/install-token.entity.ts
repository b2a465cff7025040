import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A one-time bootstrap token in an install manifest; exchanged once for an agent credential. */
@Entity({ schema: 'clusters', name: 'install_tokens' })
export class InstallTokenEntity {
  /** The public half of the token (`mpi_<id>_<secret>`). */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Index()
  @Column({ name: 'cluster_id', type: 'uuid' })
  clusterId!: string;

  /** argon2id of the secret half. */
  @Column({ name: 'secret_hash', type: 'text' })
  secretHash!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
