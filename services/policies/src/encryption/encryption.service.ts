import { randomUUID } from 'node:crypto';
import type { TenantInventory } from '@meshplane/events';
import { ServiceUnavailableError, TenantDb } from '@meshplane/platform';
import type { NodeObject } from '@meshplane/protocol';
import { Injectable } from '@nestjs/common';
import { CompileTrigger } from '../bundles/compile-trigger.js';
import { ClustersInventoryClient } from '../clients/clusters-inventory.client.js';
import type { Located, WireguardSettings } from '../compiler/compiler.types.js';
import { WIREGUARD_FIELDS } from '../compiler/encryption.js';
import { lockTenantPolicies } from '../policies/tenant-policies-lock.js';
import { invalidInput } from '../validation/invalid-input.js';
import { encryptionError } from './encryption.errors.js';
import type {
  EncryptionBlockerKind,
  EncryptionChange,
  EncryptionSetting,
  EncryptionStatusModel,
  SetEncryptionInput,
} from './encryption.model.js';
import { loadEncryptionCompileInput } from './encryption-compile-input.js';
import { encryptionIssues } from './encryption-rules.js';
import { EncryptionSettingEntity, MESH_WIDE_SCOPE } from './encryption-setting.entity.js';
import { encryptionStatus } from './encryption-status.js';

function settingsOf(input: SetEncryptionInput): WireguardSettings {
  const out: Record<string, unknown> = {};
  for (const field of WIREGUARD_FIELDS) {
    const value = input[field];
    if (value !== undefined && value !== null) out[field] = value;
  }
  return out as WireguardSettings;
}

function toModel(
  clusterId: string | null,
  settings: WireguardSettings,
  updatedAt: Date | null,
): EncryptionSetting {
  const model: Record<string, unknown> = { clusterId, updatedAt };
  for (const field of WIREGUARD_FIELDS) model[field] = settings[field] ?? null;
  return model as unknown as EncryptionSetting;
}

@Injectable()
export class EncryptionService {
  constructor(
    private readonly db: TenantDb,
    private readonly trigger: CompileTrigger,
    private readonly clusters: ClustersInventoryClient,
  ) {}

  /** The mesh-wide setting (always listed, possibly empty) then each cluster override. */
  async list(tenantId: string): Promise<EncryptionSetting[]> {
    const rows = await this.db.tenant(tenantId, (m) =>
      m.find(EncryptionSettingEntity, { where: { tenantId } }),
    );
    const mesh = rows.find((row) => row.scope === MESH_WIDE_SCOPE);
    return [
      toModel(null, mesh?.settings ?? {}, mesh?.updatedAt ?? null),
      ...rows
        .filter((row) => row.scope !== MESH_WIDE_SCOPE)
        .sort((a, b) => (a.scope < b.scope ? -1 : 1))
        .map((row) => toModel(row.scope, row.settings, row.updatedAt)),
    ];
  }

  /** Replaces the settings of one scope; a cluster must be one of the tenant's. */
  async set(tenantId: string, input: SetEncryptionInput): Promise<EncryptionChange> {
    const settings = settingsOf(input);
    const issues = encryptionIssues(settings);
    if (issues.length > 0) throw invalidInput('INVALID_ENCRYPTION', issues);
    const clusterId = input.clusterId ?? null;
    if (clusterId !== null) {
      const inventory = await this.inventory(tenantId);
      if (!inventory.clusters.some((cluster) => cluster.id === clusterId))
        throw encryptionError('CLUSTER_NOT_FOUND', { field: 'input.clusterId', id: clusterId });
    }
    const scope = clusterId ?? MESH_WIDE_SCOPE;
    const changeId = randomUUID();
    const { row, requestId } = await this.db.tenant(tenantId, async (m) => {
      await lockTenantPolicies(m, tenantId);
      await m.upsert(EncryptionSettingEntity, { tenantId, scope, settings }, ['tenantId', 'scope']);
      const row = (await m.findOne(EncryptionSettingEntity, { where: { tenantId, scope } }))!;
      const requestId = await this.trigger.record(
        m,
        tenantId,
        `encryption set: ${clusterId === null ? 'mesh-wide' : `cluster ${clusterId}`}`,
        changeId,
      );
      return { row, requestId };
    });
    await this.trigger.enqueue(tenantId, requestId);
    return { changeId, setting: toModel(clusterId, row.settings, row.updatedAt) };
  }

  async status(tenantId: string): Promise<EncryptionStatusModel> {
    const inventory = await this.inventory(tenantId);
    const encryption = await this.db.tenant(tenantId, (m) => loadEncryptionCompileInput(m, tenantId));
    const nodes = inventory.objects.filter(
      (item): item is Located<NodeObject> => item.object.kind === 'node',
    );
    const status = encryptionStatus(inventory.clusters, nodes, encryption);
    return {
      clusters: status.clusters.map((c) => ({
        ...c,
        nodesWithoutPublicKey: [...c.nodesWithoutPublicKey],
        blockers: c.blockers.map((b) => b as EncryptionBlockerKind),
      })),
      pairs: status.pairs.map((p) => ({
        ...p,
        blockers: p.blockers.map((b) => ({
          clusterId: b.clusterId,
          reason: b.reason as EncryptionBlockerKind,
        })),
      })),
    };
  }

  private async inventory(tenantId: string): Promise<TenantInventory> {
    try {
      return await this.clusters.tenantInventory(tenantId);
    } catch (error) {
      if (error instanceof ServiceUnavailableError) throw encryptionError('CLUSTERS_UNAVAILABLE');
      throw error;
    }
  }
}
