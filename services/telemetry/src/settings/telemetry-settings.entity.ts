import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A tenant's telemetry settings; a tenant without a row uses the defaults. */
@Entity({ schema: 'telemetry', name: 'tenant_settings' })
export class TelemetrySettingsEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'retention_days', type: 'integer' })
  retentionDays!: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
