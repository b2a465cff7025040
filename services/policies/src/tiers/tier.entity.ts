import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';

/** A tenant-level Calico tier: policies in it are evaluated together, tiers in order. */
@Entity({ schema: 'policies', name: 'tiers' })
@Unique('tiers_tenant_name_key', ['tenantId', 'name'])
export class TierEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Lower first; null sorts last (Calico's "no order"). */
  @Column({ type: 'double precision', nullable: true })
  order!: number | null;

  @Column({ name: 'default_action', type: 'text', default: 'Deny' })
  defaultAction!: 'Deny' | 'Pass';

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
