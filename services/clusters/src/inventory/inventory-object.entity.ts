import type { InventoryObject } from '@meshplane/protocol';
import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** One object of a cluster's inventory, as its agent last reported it. */
@Entity({ schema: 'clusters', name: 'inventory_objects' })
@Index('inventory_objects_tenant_kind_idx', ['tenantId', 'kind', 'namespace', 'name'])
// GIN over pods' `object -> 'ips'` (endpoints-by-ip), made by a migration: an expression TypeORM cannot describe.
@Index('inventory_objects_pod_ips_idx', { synchronize: false })
export class InventoryObjectEntity {
  @PrimaryColumn({ name: 'cluster_id', type: 'uuid' })
  clusterId!: string;

  @PrimaryColumn({ type: 'text' })
  kind!: InventoryObject['kind'];

  /** Empty for cluster-scoped kinds. */
  @PrimaryColumn({ type: 'text' })
  namespace!: string;

  @PrimaryColumn({ type: 'text' })
  name!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'jsonb' })
  object!: InventoryObject;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
