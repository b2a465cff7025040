import type { ClusterConfigRequest, ClusterConfigResponse, ConfigResultJob } from '@meshplane/events';
import { TenantDb } from '@meshplane/platform';
import {
  type ConfigObject,
  type ConfigObjectRef,
  type ConfigPushMessage,
  configObjectKey,
} from '@meshplane/protocol';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ClusterConfigEntity, type ConfigState } from './bundle.entities.js';

/** A cluster's config as the API shows it. */
export interface ClusterConfigView {
  clusterId: string;
  desiredVersion: number;
  appliedVersion: number;
  state: ConfigState;
  errors: { kind: string; namespace: string | null; name: string; message: string }[];
  lastResultAt: Date | null;
}

/** The state of a cluster's config: applied when the agent reached the desired version. */
export function configState(
  row: Pick<ClusterConfigEntity, 'desiredVersion' | 'appliedVersion' | 'resultVersion' | 'resultComplete'>,
): ConfigState {
  if (row.appliedVersion >= row.desiredVersion) return 'applied';
  if (row.resultVersion >= row.desiredVersion && !row.resultComplete) return 'failed';
  return 'pending';
}

export function configView(row: ClusterConfigEntity): ClusterConfigView {
  const state = configState(row);
  return {
    clusterId: row.clusterId,
    desiredVersion: row.desiredVersion,
    appliedVersion: row.appliedVersion,
    state,
    errors:
      state === 'applied'
        ? []
        : row.resultFailures.map((failure) => ({
            kind: failure.kind,
            namespace: failure.namespace ?? null,
            name: failure.name,
            message: failure.message ?? 'failed',
          })),
    lastResultAt: row.resultAt,
  };
}

/** The objects of `next` that are new or changed against `base`, and the keys `base` had that `next` lacks. */
export function bundleDiff(
  base: readonly ConfigObject[],
  next: readonly ConfigObject[],
): { upserts: ConfigObject[]; deletes: ConfigObjectRef[] } {
  const before = new Map(base.map((object) => [configObjectKey(object), JSON.stringify(object)]));
  const upserts: ConfigObject[] = [];
  const keep = new Set<string>();
  for (const object of next) {
    const key = configObjectKey(object);
    keep.add(key);
    if (before.get(key) !== JSON.stringify(object)) upserts.push(object);
  }
  const deletes: ConfigObjectRef[] = [];
  for (const object of base) {
    if (keep.has(configObjectKey(object))) continue;
    const { apiVersion, kind, metadata } = object;
    deletes.push({
      apiVersion,
      kind,
      name: metadata.name,
      ...(metadata.namespace ? { namespace: metadata.namespace } : {}),
    });
  }
  return { upserts, deletes };
}

/** Per-cluster config: what the hub pushes, what agents report back, what the API shows. */
@Injectable()
export class ClusterConfigsService {
  constructor(private readonly db: TenantDb) {}

  /** The push that brings an agent from `appliedVersion` to the desired version (none when there). */
  async pushFor(request: ClusterConfigRequest): Promise<ClusterConfigResponse> {
    const [answer] = await this.pushesFor(request.tenantId, [request]);
    return answer!;
  }

  /**
   * {@link pushFor} for many clusters of one tenant, in one transaction and two queries (the hub
   * batches the lookups of a burst, e.g. one change that reaches a thousand clusters).
   */
  async pushesFor(
    tenantId: string,
    requests: readonly ClusterConfigRequest[],
  ): Promise<ClusterConfigResponse[]> {
    return this.db.tenant(tenantId, async (m) => {
      const clusterIds = [...new Set(requests.map((r) => r.clusterId))];
      const latest = new Map(
        (
          (await m.query(
            `SELECT DISTINCT ON (cluster_id) cluster_id, version, hash, objects FROM policies.cluster_bundles
              WHERE tenant_id = $1 AND cluster_id = ANY($2::uuid[]) ORDER BY cluster_id, version DESC`,
            [tenantId, clusterIds],
          )) as { cluster_id: string; version: number; hash: string; objects: ConfigObject[] }[]
        ).map((row) => [row.cluster_id, row]),
      );
      const wanted = requests.filter((r) => {
        const head = latest.get(r.clusterId);
        return (
          head !== undefined && r.full !== true && r.appliedVersion > 0 && r.appliedVersion < head.version
        );
      });
      const bases = new Map(
        (wanted.length === 0
          ? []
          : ((await m.query(
              `SELECT b.cluster_id, b.version, b.objects FROM policies.cluster_bundles b
                 JOIN unnest($2::uuid[], $3::int[]) AS w(cluster_id, version)
                   ON w.cluster_id = b.cluster_id AND w.version = b.version
                WHERE b.tenant_id = $1`,
              [tenantId, wanted.map((r) => r.clusterId), wanted.map((r) => r.appliedVersion)],
            )) as { cluster_id: string; version: number; objects: ConfigObject[] }[])
        ).map((row) => [`${row.cluster_id}/${row.version}`, row.objects]),
      );
      const answers: ClusterConfigResponse[] = [];
      for (const request of requests) {
        const head = latest.get(request.clusterId);
        if (!head) answers.push({ desiredVersion: 0 });
        else if (request.appliedVersion === head.version) answers.push({ desiredVersion: head.version });
        else if (request.appliedVersion > head.version)
          answers.push(await this.rebase(m, tenantId, request, head));
        else {
          const base = bases.get(`${request.clusterId}/${request.appliedVersion}`);
          const push: ConfigPushMessage = base
            ? {
                type: 'config.push',
                version: head.version,
                mode: 'diff',
                baseVersion: request.appliedVersion,
                ...bundleDiff(base, head.objects),
              }
            : { type: 'config.push', version: head.version, mode: 'full', objects: head.objects };
          answers.push({ desiredVersion: head.version, push });
        }
      }
      return answers;
    });
  }

  /**
   * The agent holds a version this store never had (e.g. the database was restored from a
   * backup): it would refuse anything older, so the latest content is stored again above it.
   */
  private async rebase(
    m: EntityManager,
    tenantId: string,
    request: ClusterConfigRequest,
    head: { hash: string; objects: ConfigObject[] },
  ): Promise<ClusterConfigResponse> {
    const version = request.appliedVersion + 1;
    await m.query(
      `INSERT INTO policies.cluster_bundles (cluster_id, version, tenant_id, hash, objects, change_ids)
       VALUES ($1, $2, $3, $4, $5::jsonb, '{}') ON CONFLICT DO NOTHING`,
      [request.clusterId, version, tenantId, head.hash, JSON.stringify(head.objects)],
    );
    await m.query(
      `UPDATE policies.cluster_configs SET desired_version = GREATEST(desired_version, $2), updated_at = now()
        WHERE cluster_id = $1`,
      [request.clusterId, version],
    );
    return {
      desiredVersion: version,
      push: { type: 'config.push', version, mode: 'full', objects: head.objects },
    };
  }

  /** Records an agent's result; older reports than one already recorded change nothing. */
  async recordResult(job: ConfigResultJob): Promise<void> {
    await this.db.tenant(job.tenantId, (m) =>
      m.query(
        `UPDATE policies.cluster_configs SET
           applied_version = CASE WHEN $3 THEN GREATEST(applied_version, $2) ELSE applied_version END,
           result_version = $2, result_complete = $3, result_failures = $4::jsonb, result_at = $5,
           updated_at = now()
         WHERE cluster_id = $1 AND result_version <= $2`,
        [job.clusterId, job.version, job.complete, JSON.stringify(job.failures), job.at],
      ),
    );
  }

  async config(tenantId: string, clusterId: string): Promise<ClusterConfigView | null> {
    const row = await this.db.tenant(tenantId, (m) =>
      m.findOne(ClusterConfigEntity, { where: { tenantId, clusterId } }),
    );
    return row ? configView(row) : null;
  }
}
