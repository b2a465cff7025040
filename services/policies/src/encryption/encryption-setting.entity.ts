import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { WireguardSettings } from '../compiler/compiler.types.js';

/** `scope` of the mesh-wide setting (other rows hold a cluster id). */
export const MESH_WIDE_SCOPE = 'mesh';

/**
 * WireGuard settings of a tenant: one mesh-wide row (`scope = 'mesh'`) and one row per cluster
 * that overrides it (`scope = <cluster id>`). `settings` holds only the fields that are set.
 */
@Entity({ schema: 'policies', name: 'encryption_settings' })
export class EncryptionSettingEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @PrimaryColumn({ type: 'text' })
  scope!: string;

  @Column({ type: 'jsonb' })
  settings!: WireguardSettings;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
