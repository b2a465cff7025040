import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** A customer cluster registered with Meshplane. */
@Entity({ schema: 'clusters', name: 'clusters' })
@Unique('clusters_tenant_name_key', ['tenantId', 'name'])
export class ClusterEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Cluster labels (`region`, `env`, `geo`, ...) that drive targeting. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  labels!: Record<string, string>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Set by revokeCluster: every credential is refused and the agent disconnected. */
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  /** Grows by one for every accepted agent session; orders sessions (and their inventory). */
  @Column({ name: 'session_epoch', type: 'integer', default: 0 })
  sessionEpoch!: number;

  /** The session epoch and delta sequence the stored inventory reflects. */
  @Column({ name: 'inventory_epoch', type: 'integer', default: 0 })
  inventoryEpoch!: number;

  @Column({ name: 'inventory_seq', type: 'integer', default: 0 })
  inventorySeq!: number;

  @Column({ name: 'agent_version', type: 'text', nullable: true })
  agentVersion!: string | null;

  @Column({ name: 'kubernetes_version', type: 'text', nullable: true })
  kubernetesVersion!: string | null;

  @Column({ name: 'node_count', type: 'integer', nullable: true })
  nodeCount!: number | null;

  /** The Calico release the agent last reported (`ClusterInformation` `default`). */
  @Column({ name: 'calico_version', type: 'text', nullable: true })
  calicoVersion!: string | null;

  /** The `projectcalico.org/v3` kinds the cluster's API server served at the agent's last report. */
  @Column({ name: 'calico_kinds', type: 'text', array: true, nullable: true })
  calicoKinds!: string[] | null;

  /** When the agent was last seen (persisted at session end; live presence is in Redis). */
  @Column({ name: 'last_seen_at', type: 'timestamptz', nullable: true })
  lastSeenAt!: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;
}
