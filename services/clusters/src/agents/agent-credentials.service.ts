import {
  CONFIG,
  issueBearerSecret,
  parseBearerSecret,
  TenantDb,
  verifyBearerSecret,
} from '@meshplane/platform';
import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import { ClusterEntity } from '../clusters/cluster.entity.js';
import { clustersError } from '../clusters/clusters.errors.js';
import type { ClustersConfig } from '../config.js';
import { InstallTokenEntity } from '../install/install-token.entity.js';
import { AgentCredentialEntity } from './agent-credential.entity.js';
import { AGENT_CREDENTIAL_PREFIX, INSTALL_TOKEN_PREFIX } from './credential-prefixes.js';

export interface IssuedCredential {
  clusterId: string;
  credential: string;
  expiresAt: string;
}

export interface AgentSession {
  clusterId: string;
  tenantId: string;
  clusterName: string;
  epoch: number;
}

/** Why a hub must end a session it holds: its cluster was revoked or deleted, or a newer session took over. */
export interface EndedSession {
  clusterId: string;
  reason: 'revoked' | 'deleted' | 'superseded';
}

/** How long a rotated-out credential keeps working, so an agent can finish switching over. */
const ROTATION_GRACE_MS = 5 * 60_000;

/**
 * The agent's side of the install flow: the one-time install token becomes a per-cluster
 * credential; the credential authenticates hub sessions and is rotated before it expires.
 * These calls carry no user identity, so they use `TenantDb.system` and find the tenant from
 * the token itself.
 */
@Injectable()
export class AgentCredentialsService {
  constructor(
    private readonly db: TenantDb,
    @Inject(CONFIG) private readonly config: ClustersConfig,
  ) {}

  /** Checks an install token without using it (for rendering the manifest). */
  async checkInstallToken(
    token: string,
  ): Promise<{ cluster: ClusterEntity; expiresAt: Date; used: boolean }> {
    const parsed = parseBearerSecret(INSTALL_TOKEN_PREFIX, token);
    if (!parsed) throw clustersError('INSTALL_TOKEN_INVALID');
    const row = await this.db.system((m) => m.findOne(InstallTokenEntity, { where: { id: parsed.id } }));
    if (!row || !(await verifyBearerSecret(row.secretHash, parsed.secret))) {
      throw clustersError('INSTALL_TOKEN_INVALID');
    }
    // A used token secures nothing any more (its manifest is served without the bootstrap Secret),
    // so it keeps working past its expiry: re-running the install command re-applies or upgrades.
    const used = row.usedAt !== null;
    if (!used && row.expiresAt.getTime() <= Date.now()) throw clustersError('INSTALL_TOKEN_INVALID');
    const cluster = await this.db.system((m) => m.findOne(ClusterEntity, { where: { id: row.clusterId } }));
    if (!cluster || cluster.revokedAt) throw clustersError('INSTALL_TOKEN_INVALID');
    return { cluster, expiresAt: row.expiresAt, used };
  }

  /** Exchanges an install token, exactly once, for an agent credential. */
  async exchange(token: string): Promise<IssuedCredential> {
    const { cluster, used } = await this.checkInstallToken(token);
    if (used) throw clustersError('INSTALL_TOKEN_USED');
    const { id } = parseBearerSecret(INSTALL_TOKEN_PREFIX, token)!;
    const credential = await issueBearerSecret(AGENT_CREDENTIAL_PREFIX);
    const expiresAt = this.credentialExpiry();
    await this.db.tenant(cluster.tenantId, async (m) => {
      // The conditional update makes the token single-use even under concurrent exchanges.
      const used = await m
        .createQueryBuilder()
        .update(InstallTokenEntity)
        .set({ usedAt: () => 'now()' })
        .where('id = :id AND used_at IS NULL AND expires_at > now()', { id })
        .execute();
      if (used.affected !== 1) throw clustersError('INSTALL_TOKEN_USED');
      await this.insertCredential(m, cluster, credential.id, credential.hash, expiresAt);
    });
    return { clusterId: cluster.id, credential: credential.token, expiresAt: expiresAt.toISOString() };
  }

  /** A new credential for the agent holding a valid one; the old one ends after a short grace. */
  async rotate(current: string): Promise<IssuedCredential> {
    const { row, cluster } = await this.verifyCredential(current);
    const credential = await issueBearerSecret(AGENT_CREDENTIAL_PREFIX);
    const expiresAt = this.credentialExpiry();
    await this.db.tenant(cluster.tenantId, async (m) => {
      const graceEnd = new Date(Math.min(row.expiresAt.getTime(), Date.now() + ROTATION_GRACE_MS));
      await m.update(
        AgentCredentialEntity,
        { id: row.id, tenantId: cluster.tenantId },
        { expiresAt: graceEnd },
      );
      await this.insertCredential(m, cluster, credential.id, credential.hash, expiresAt);
    });
    return { clusterId: cluster.id, credential: credential.token, expiresAt: expiresAt.toISOString() };
  }

  /** Authenticates a hub session and gives it the next session epoch of the cluster. */
  async openSession(credential: string): Promise<AgentSession> {
    const { cluster } = await this.verifyCredential(credential, { explainRevoked: true });
    const epoch = await this.db.tenant(cluster.tenantId, async (m) => {
      const rows: Array<{ session_epoch: number }> = await m.query(
        `UPDATE clusters.clusters SET session_epoch = session_epoch + 1, last_error = NULL
         WHERE id = $1 AND tenant_id = $2 AND revoked_at IS NULL RETURNING session_epoch`,
        [cluster.id, cluster.tenantId],
      );
      const updated = Array.isArray(rows[0]) ? (rows[0] as Array<{ session_epoch: number }>) : rows;
      if (!updated[0]) throw clustersError('CREDENTIAL_INVALID');
      return updated[0].session_epoch;
    });
    return { clusterId: cluster.id, tenantId: cluster.tenantId, clusterName: cluster.name, epoch };
  }

  /**
   * Which of a hub's sessions must end, checked against the clusters table itself: the safety net
   * under the `cluster-revoked` and `session-claimed` notifications, which a Redis blip can lose.
   * One query for the whole batch; sessions not listed stay.
   */
  async checkSessions(sessions: readonly { clusterId: string; epoch: number }[]): Promise<EndedSession[]> {
    if (sessions.length === 0) return [];
    const rows = await this.db.system((m) =>
      m.find(ClusterEntity, {
        where: { id: In(sessions.map((session) => session.clusterId)) },
        select: { id: true, revokedAt: true, sessionEpoch: true },
      }),
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    return sessions.flatMap(({ clusterId, epoch }): EndedSession[] => {
      const row = byId.get(clusterId);
      if (!row) return [{ clusterId, reason: 'deleted' }];
      if (row.revokedAt) return [{ clusterId, reason: 'revoked' }];
      if (row.sessionEpoch > epoch) return [{ clusterId, reason: 'superseded' }];
      return [];
    });
  }

  /**
   * The credential's row and cluster, or CREDENTIAL_INVALID. With `explainRevoked` (the hub's
   * hello), a genuine credential of a revoked cluster is CLUSTER_REVOKED instead, so that a
   * restarted agent of a revoked cluster is told to stop for good rather than to retry.
   */
  private async verifyCredential(token: string, options: { explainRevoked?: boolean } = {}) {
    const parsed = parseBearerSecret(AGENT_CREDENTIAL_PREFIX, token);
    if (!parsed) throw clustersError('CREDENTIAL_INVALID');
    const row = await this.db.system((m) => m.findOne(AgentCredentialEntity, { where: { id: parsed.id } }));
    if (!row || row.expiresAt.getTime() <= Date.now()) throw clustersError('CREDENTIAL_INVALID');
    if (!(await verifyBearerSecret(row.secretHash, parsed.secret))) throw clustersError('CREDENTIAL_INVALID');
    const cluster = await this.db.system((m) => m.findOne(ClusterEntity, { where: { id: row.clusterId } }));
    if (options.explainRevoked && cluster?.revokedAt) throw clustersError('CLUSTER_REVOKED');
    if (row.revokedAt || !cluster || cluster.revokedAt) throw clustersError('CREDENTIAL_INVALID');
    return { row, cluster };
  }

  private insertCredential(
    m: EntityManager,
    cluster: ClusterEntity,
    id: string,
    hash: string,
    expiresAt: Date,
  ) {
    return m.insert(AgentCredentialEntity, {
      id,
      tenantId: cluster.tenantId,
      clusterId: cluster.id,
      secretHash: hash,
      expiresAt,
    });
  }

  private credentialExpiry(): Date {
    return new Date(Date.now() + this.config.AGENT_CREDENTIAL_TTL_DAYS * 86_400_000);
  }
}
