import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';

/**
 * A compliance zone: the clusters its selector picks never exchange traffic with clusters outside
 * it, except the clusters of the zones it names in `allowedZones`.
 */
@Entity({ schema: 'policies', name: 'compliance_zones' })
@Unique('compliance_zones_tenant_name_key', ['tenantId', 'name'])
export class ComplianceZoneEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  /** A DNS label, unique in the tenant, immutable (other zones refer to it by name). */
  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'cluster_selector', type: 'text' })
  clusterSelector!: string;

  /** Names of other zones of the tenant, sorted. */
  @Column({ name: 'allowed_zones', type: 'text', array: true, default: () => "'{}'" })
  allowedZones!: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
