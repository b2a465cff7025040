import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * Per cluster, what the policy compiler still has to do: the inventory changes seen since it
 * last compiled the cluster. The worker fills it from inventory-changed events; the compiler
 * drains it (clears `pending_since` and the keys) after compiling.
 */
@Entity({ schema: 'policies', name: 'cluster_states' })
export class ClusterStateEntity {
  @PrimaryColumn({ name: 'cluster_id', type: 'uuid' })
  clusterId!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  /** Highest inventory session epoch seen for the cluster. */
  @Column({ name: 'inventory_epoch', type: 'integer' })
  inventoryEpoch!: number;

  /** When the oldest change not yet compiled arrived; null when the cluster is up to date. */
  @Column({ name: 'pending_since', type: 'timestamptz', nullable: true })
  pendingSince!: Date | null;

  /** A whole snapshot (or too many keys) arrived: recompile the cluster from scratch. */
  @Column({ name: 'full_recompile', type: 'boolean', default: false })
  fullRecompile!: boolean;

  /** `kind/namespace/name` keys changed since the last compile (a set; empty when full). */
  @Column({ name: 'pending_keys', type: 'text', array: true, default: () => "'{}'" })
  pendingKeys!: string[];

  /** Number of pending keys (or 0 when a full recompile is pending). */
  @Column({ name: 'pending_key_count', type: 'integer', default: 0 })
  pendingKeyCount!: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
