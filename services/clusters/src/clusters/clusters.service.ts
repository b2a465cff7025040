import {
  CLUSTER_CHANGED_QUEUE,
  CLUSTER_REVOKED_CHANNEL,
  type ClusterChangedJob,
  type Presence,
} from '@meshplane/events';
import {
  CONFIG,
  channel,
  InjectLogger,
  isId,
  issueBearerSecret,
  type Logger,
  Outbox,
  parseInput,
  REDIS,
  TenantDb,
} from '@meshplane/platform';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { type EntityManager, IsNull } from 'typeorm';
import { z } from 'zod';
import { AgentCredentialEntity } from '../agents/agent-credential.entity.js';
import { INSTALL_TOKEN_PREFIX } from '../agents/credential-prefixes.js';
import type { ClustersConfig } from '../config.js';
import { InstallTokenEntity } from '../install/install-token.entity.js';
import { UNINSTALL_COMMAND } from '../install/manifest.js';
import { lockClusterInventory } from '../inventory/inventory.store.js';
import { InventoryObjectEntity } from '../inventory/inventory-object.entity.js';
import { imageVersion, isOlderVersion } from './agent-version.js';
import { ClusterEntity } from './cluster.entity.js';
import type {
  Cluster,
  ClusterFilter,
  LabelInput,
  RegisterClusterInput,
  RegisterClusterPayload,
} from './cluster.model.js';
import { clustersError } from './clusters.errors.js';
import { ClusterNameSchema, LabelsInputSchema } from './labels.js';
import { PresenceService } from './presence.service.js';

function toClusterModel(
  entity: ClusterEntity,
  presence: Presence | undefined,
  recommendedAgentVersion: string | undefined,
): Cluster {
  const agentVersion = presence?.agentVersion ?? entity.agentVersion;
  const labels = Object.entries(entity.labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => ({ key, value }));
  return {
    id: entity.id,
    name: entity.name,
    labels,
    createdAt: entity.createdAt,
    revokedAt: entity.revokedAt,
    status: {
      connected: Boolean(presence),
      lastSeenAt: presence ? new Date(presence.lastSeenAt) : entity.lastSeenAt,
      agentVersion,
      kubernetesVersion: presence?.kubernetesVersion ?? entity.kubernetesVersion,
      nodeCount: presence?.nodeCount ?? entity.nodeCount,
      calicoVersion: presence?.calicoVersion ?? entity.calicoVersion,
      calicoKinds: presence?.calicoKinds ?? entity.calicoKinds,
      errors: entity.lastError ? [entity.lastError] : [],
      recommendedAgentVersion: recommendedAgentVersion ?? null,
      agentOutdated: Boolean(
        agentVersion && recommendedAgentVersion && isOlderVersion(agentVersion, recommendedAgentVersion),
      ),
    },
    uninstallCommand: UNINSTALL_COMMAND,
  };
}

/** How long a revocation's announcement may hold up the mutation's answer. */
const ANNOUNCE_TIMEOUT_MS = 3_000;

@Injectable()
export class ClustersService {
  constructor(
    private readonly db: TenantDb,
    private readonly presence: PresenceService,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: ClustersConfig,
    private readonly outbox: Outbox,
    @InjectLogger() private readonly logger: Logger,
  ) {
    this.recommendedAgentVersion = imageVersion(config.AGENT_IMAGE);
  }

  /** The release of the agent image the install manifest deploys. */
  private readonly recommendedAgentVersion: string | undefined;

  async list(tenantId: string, filter: ClusterFilter = {}): Promise<Cluster[]> {
    const labels = filter.labels ? parseInput(LabelsInputSchema, filter.labels, 'filter.labels') : {};
    const nameContains = parseInput(z.string().max(63).nullish(), filter.nameContains, 'filter.nameContains');
    const rows = await this.db.tenant(tenantId, (m) => {
      const query = m
        .createQueryBuilder(ClusterEntity, 'c')
        .where('c.tenant_id = :tenantId', { tenantId })
        .andWhere('c.labels @> :labels', { labels: JSON.stringify(labels) })
        .orderBy('c.name', 'ASC');
      if (nameContains) query.andWhere(`strpos(c.name, :needle) > 0`, { needle: nameContains });
      return query.getMany();
    });
    const presence = await this.presence.read(rows.map((r) => r.id));
    const clusters = rows.map((row) =>
      toClusterModel(row, presence.get(row.id), this.recommendedAgentVersion),
    );
    return filter.connected === undefined || filter.connected === null
      ? clusters
      : clusters.filter((c) => c.status.connected === filter.connected);
  }

  async get(tenantId: string, id: string): Promise<Cluster> {
    const row = await this.find(tenantId, id);
    return toClusterModel(
      row,
      (await this.presence.read([row.id])).get(row.id),
      this.recommendedAgentVersion,
    );
  }

  async register(tenantId: string, input: RegisterClusterInput): Promise<RegisterClusterPayload> {
    const name = parseInput(ClusterNameSchema, input.name, 'input.name');
    const labels = parseInput(LabelsInputSchema, input.labels ?? [], 'input.labels');
    const token = await issueBearerSecret(INSTALL_TOKEN_PREFIX);
    const expiresAt = this.installTokenExpiry();
    const cluster = await this.db.tenant(tenantId, async (m) => {
      const count = await m.count(ClusterEntity, { where: { tenantId } });
      if (count >= this.config.MAX_CLUSTERS_PER_TENANT) throw clustersError('CLUSTER_LIMIT');
      if (await m.exists(ClusterEntity, { where: { tenantId, name } })) {
        throw clustersError('CLUSTER_NAME_TAKEN', { field: 'input.name' });
      }
      const created = await m.save(m.create(ClusterEntity, { tenantId, name, labels }));
      await m.insert(InstallTokenEntity, {
        id: token.id,
        tenantId,
        clusterId: created.id,
        secretHash: token.hash,
        expiresAt,
      });
      await this.changed(m, tenantId, created.id, 'registered');
      return created;
    });
    await this.outbox.deliver();
    return this.installPayload(
      toClusterModel(cluster, undefined, this.recommendedAgentVersion),
      token.token,
      expiresAt,
    );
  }

  /** A new install token for the cluster; earlier unused ones stop working. */
  async rotateInstallToken(tenantId: string, id: string): Promise<RegisterClusterPayload> {
    const token = await issueBearerSecret(INSTALL_TOKEN_PREFIX);
    const expiresAt = this.installTokenExpiry();
    const cluster = await this.db.tenant(tenantId, async (m) => {
      const row = await this.find(tenantId, id, m);
      if (row.revokedAt) throw clustersError('CLUSTER_REVOKED');
      await m.update(InstallTokenEntity, { clusterId: id, usedAt: IsNull() }, { expiresAt: new Date() });
      await m.insert(InstallTokenEntity, {
        id: token.id,
        tenantId,
        clusterId: id,
        secretHash: token.hash,
        expiresAt,
      });
      return row;
    });
    const presence = (await this.presence.read([id])).get(id);
    return this.installPayload(
      toClusterModel(cluster, presence, this.recommendedAgentVersion),
      token.token,
      expiresAt,
    );
  }

  async updateLabels(tenantId: string, id: string, input: LabelInput[]): Promise<Cluster> {
    const labels = parseInput(LabelsInputSchema, input, 'labels');
    const row = await this.db.tenant(tenantId, async (m) => {
      const cluster = await this.find(tenantId, id, m);
      cluster.labels = labels;
      await this.changed(m, tenantId, id, 'labels');
      return m.save(cluster);
    });
    await this.outbox.deliver();
    return toClusterModel(row, (await this.presence.read([id])).get(id), this.recommendedAgentVersion);
  }

  /** Refuses every credential of the cluster from now on and disconnects its agent. */
  async revoke(tenantId: string, id: string): Promise<Cluster> {
    const row = await this.db.tenant(tenantId, async (m) => {
      const cluster = await this.find(tenantId, id, m);
      const now = new Date();
      cluster.revokedAt ??= now;
      await m.update(AgentCredentialEntity, { clusterId: id, revokedAt: IsNull() }, { revokedAt: now });
      await m.update(InstallTokenEntity, { clusterId: id, usedAt: IsNull() }, { expiresAt: now });
      await this.changed(m, tenantId, id, 'revoked');
      return m.save(cluster);
    });
    await this.announceRevocation(id, 'revoked');
    await this.outbox.deliver();
    return toClusterModel(row, undefined, this.recommendedAgentVersion);
  }

  async delete(tenantId: string, id: string): Promise<string> {
    await this.db.tenant(tenantId, async (m) => {
      await this.find(tenantId, id, m);
      // After an inventory job being stored: its rows are then deleted here, or it finds no cluster.
      await lockClusterInventory(m, id);
      for (const entity of [AgentCredentialEntity, InstallTokenEntity, InventoryObjectEntity]) {
        await m.delete(entity, { clusterId: id });
      }
      await m.delete(ClusterEntity, { id });
      await this.changed(m, tenantId, id, 'deleted');
    });
    await this.announceRevocation(id, 'deleted');
    await this.outbox.deliver();
    return id;
  }

  /**
   * Removes every cluster of a deleted tenant with its credentials, install tokens and inventory,
   * then tells the hubs, whose agents offboard and stop. No `cluster-changed`: the tenant's
   * policies are being removed too. Answers how many rows went.
   */
  async purgeTenant(tenantId: string): Promise<number> {
    const { clusterIds, removed } = await this.db.tenant(tenantId, async (m) => {
      const clusters = await m.find(ClusterEntity, { select: { id: true }, where: { tenantId } });
      for (const { id } of clusters) await lockClusterInventory(m, id);
      let rows = 0;
      for (const entity of [
        AgentCredentialEntity,
        InstallTokenEntity,
        InventoryObjectEntity,
        ClusterEntity,
      ]) {
        rows += (await m.delete(entity, { tenantId })).affected ?? 0;
      }
      return { clusterIds: clusters.map((cluster) => cluster.id), removed: rows };
    });
    for (const id of clusterIds) await this.announceRevocation(id, 'deleted');
    return removed;
  }

  /**
   * Tells the policies service to recompile the tenant (labels drive targeting; gone clusters
   * drop out): written to the outbox in the change's transaction, queued after its commit.
   */
  private changed(
    m: EntityManager,
    tenantId: string,
    clusterId: string,
    change: ClusterChangedJob['change'],
  ) {
    return this.outbox.put(m, tenantId, CLUSTER_CHANGED_QUEUE, { tenantId, clusterId, change });
  }

  /**
   * Tells the hubs at once; a Redis that does not take it within a few seconds does not hold up
   * the answer, since each hub re-checks its sessions' credentials every 30 s anyway.
   */
  private async announceRevocation(clusterId: string, reason: 'revoked' | 'deleted') {
    const message = CLUSTER_REVOKED_CHANNEL.schema.parse({ clusterId, reason });
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.redis.publish(
          channel(this.config.REDIS_PREFIX, CLUSTER_REVOKED_CHANNEL.name),
          JSON.stringify(message),
        ),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('Redis did not take it in time')), ANNOUNCE_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      this.logger.warn(
        { err: error, clusterId, reason },
        "could not announce a revocation; the hubs' re-check disconnects the agent",
      );
    } finally {
      clearTimeout(timer);
    }
  }

  private async find(tenantId: string, id: string, manager?: EntityManager): Promise<ClusterEntity> {
    if (!isId(id)) throw clustersError('CLUSTER_NOT_FOUND', { id });
    const lookup = (m: EntityManager) => m.findOne(ClusterEntity, { where: { id, tenantId } });
    const row = manager ? await lookup(manager) : await this.db.tenant(tenantId, lookup);
    if (!row) throw clustersError('CLUSTER_NOT_FOUND', { id });
    return row;
  }

  private installTokenExpiry(): Date {
    return new Date(Date.now() + this.config.INSTALL_TOKEN_TTL_HOURS * 3_600_000);
  }

  private installPayload(cluster: Cluster, token: string, expiresAt: Date): RegisterClusterPayload {
    const url = new URL(`/install/${token}.yaml`, this.config.PUBLIC_BASE_URL).toString();
    return { cluster, installCommand: `kubectl apply -f ${url}`, installTokenExpiresAt: expiresAt };
  }
}
