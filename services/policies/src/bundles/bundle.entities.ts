import type { ConfigObject, ConfigOutcome } from '@meshplane/protocol';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Something changed that the tenant's bundles are compiled from (a policy, a tier, a zone, a
 * cluster, an inventory). Written in the same transaction as the change where possible; the
 * compile worker compiles everything up to the newest request at once.
 */
@Entity({ schema: 'policies', name: 'compile_requests' })
@Index('compile_requests_tenant_idx', ['tenantId', 'id'])
export class CompileRequestEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  /** The policy change (`changeId`) behind it, when there is one: rollouts are tracked by it. */
  @Column({ name: 'change_id', type: 'uuid', nullable: true })
  changeId!: string | null;

  @Column({ type: 'text' })
  reason!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/**
 * A change (`changeId`) to what bundles are compiled from: a policy version, a zone or an
 * encryption setting. `rollout(changeId)` starts here; `compiledAt` says its compile is done.
 */
@Entity({ schema: 'policies', name: 'config_changes' })
export class ConfigChangeEntity {
  @PrimaryColumn({ name: 'change_id', type: 'uuid' })
  changeId!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'text' })
  reason!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'compiled_at', type: 'timestamptz', nullable: true })
  compiledAt!: Date | null;
}

/**
 * The objects of a bundle, stored once per tenant and content hash however many clusters and
 * versions share them (a policy change that reaches a thousand clusters writes one row here).
 */
@Entity({ schema: 'policies', name: 'bundle_contents' })
export class BundleContentEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @PrimaryColumn({ type: 'text' })
  hash!: string;

  @Column({ type: 'jsonb' })
  objects!: ConfigObject[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** One version of a cluster's desired config: immutable once written; its objects by `hash`. */
@Entity({ schema: 'policies', name: 'cluster_bundles' })
@Index('cluster_bundles_tenant_hash_idx', ['tenantId', 'hash'])
export class ClusterBundleEntity {
  @PrimaryColumn({ name: 'cluster_id', type: 'uuid' })
  clusterId!: string;

  @PrimaryColumn({ type: 'integer' })
  version!: number;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  /** sha256-based digest of the bundle (see the compiler): equal content, equal hash; the key of its objects. */
  @Column({ type: 'text' })
  hash!: string;

  /** The policy changes this version is the first to carry (GIN-indexed for rollouts). */
  @Index('cluster_bundles_change_ids_idx', { synchronize: false })
  @Column({ name: 'change_ids', type: 'uuid', array: true, default: () => "'{}'" })
  changeIds!: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

export type ConfigState = 'pending' | 'applied' | 'failed';

/** Per cluster: the version it should run, the version its agent applied, and how that went. */
@Entity({ schema: 'policies', name: 'cluster_configs' })
export class ClusterConfigEntity {
  @PrimaryColumn({ name: 'cluster_id', type: 'uuid' })
  clusterId!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'desired_version', type: 'integer' })
  desiredVersion!: number;

  /** Newest version the agent applied completely; 0 when none. Only ever grows. */
  @Column({ name: 'applied_version', type: 'integer', default: 0 })
  appliedVersion!: number;

  /** The newest version the agent reported a result for. */
  @Column({ name: 'result_version', type: 'integer', default: 0 })
  resultVersion!: number;

  @Column({ name: 'result_complete', type: 'boolean', default: false })
  resultComplete!: boolean;

  /** Objects that failed in the newest result. */
  @Column({ name: 'result_failures', type: 'jsonb', default: () => "'[]'" })
  resultFailures!: ConfigOutcome[];

  @Column({ name: 'result_at', type: 'timestamptz', nullable: true })
  resultAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
