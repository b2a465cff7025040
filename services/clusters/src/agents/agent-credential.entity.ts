import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A per-cluster agent credential (`mpa_<id>_<secret>`); rotated by the agent, revocable. */
@Entity({ schema: 'clusters', name: 'agent_credentials' })
export class AgentCredentialEntity {
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

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
