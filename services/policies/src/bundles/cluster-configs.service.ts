import type { ClusterConfigRequest, ClusterConfigResponse, ConfigResult } from '@meshplane/events';
import { isId, TenantDb } from '@meshplane/platform';
import type { ConfigObject, ConfigPushMessage } from '@meshplane/protocol';
import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import { policiesError } from '../policies/policies.errors.js';
import { ClusterConfigEntity } from './bundle.entities.js';
import { bundleDiff } from './bundle-diff.js';
import { bundleYaml } from './cluster-bundle-yaml.js';
import { type ClusterConfigView, configView } from './cluster-config-view.js';
import type { ClusterReceivedConfig } from './received-config.model.js';

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
            `SELECT DISTINCT ON (cluster_id) cluster_id, version, hash FROM policies.cluster_bundles
              WHERE tenant_id = $1 AND cluster_id = ANY($2::uuid[]) ORDER BY cluster_id, version DESC`,
            [tenantId, clusterIds],
          )) as { cluster_id: string; version: number; hash: string }[]
        ).map((row) => [row.cluster_id, row]),
      );
      const wanted = requests.filter((r) => {
        const head = latest.get(r.clusterId);
        return (
          head !== undefined && r.full !== true && r.appliedVersion > 0 && r.appliedVersion < head.version
        );
      });
      const baseHashes = new Map(
        (wanted.length === 0
          ? []
          : ((await m.query(
              `SELECT b.cluster_id, b.version, b.hash FROM policies.cluster_bundles b
                 JOIN unnest($2::uuid[], $3::int[]) AS w(cluster_id, version)
                   ON w.cluster_id = b.cluster_id AND w.version = b.version
                WHERE b.tenant_id = $1`,
              [tenantId, wanted.map((r) => r.clusterId), wanted.map((r) => r.appliedVersion)],
            )) as { cluster_id: string; version: number; hash: string }[])
        ).map((row) => [`${row.cluster_id}/${row.version}`, row.hash]),
      );
      // Each distinct content once, however many clusters share it.
      const hashes = [...new Set([...[...latest.values()].map((row) => row.hash), ...baseHashes.values()])];
      const contents = new Map(
        (
          (await m.query(
            'SELECT hash, objects FROM policies.bundle_contents WHERE tenant_id = $1 AND hash = ANY($2::text[])',
            [tenantId, hashes],
          )) as { hash: string; objects: ConfigObject[] }[]
        ).map((row) => [row.hash, row.objects]),
      );
      const diffs = new Map<string, ReturnType<typeof bundleDiff>>();
      const answers: ClusterConfigResponse[] = [];
      for (const request of requests) {
        const head = latest.get(request.clusterId);
        const objects = head && contents.get(head.hash);
        if (!head || !objects) answers.push({ desiredVersion: head?.version ?? 0 });
        else if (request.appliedVersion === head.version) answers.push({ desiredVersion: head.version });
        else if (request.appliedVersion > head.version)
          answers.push(await this.rebase(m, tenantId, request, { hash: head.hash, objects }));
        else {
          const baseHash = baseHashes.get(`${request.clusterId}/${request.appliedVersion}`);
          const base = baseHash === undefined ? undefined : contents.get(baseHash);
          let push: ConfigPushMessage;
          if (base) {
            const pair = `${baseHash}>${head.hash}`;
            let diff = diffs.get(pair);
            if (!diff) {
              diff = bundleDiff(base, objects);
              diffs.set(pair, diff);
            }
            push = {
              type: 'config.push',
              version: head.version,
              mode: 'diff',
              baseVersion: request.appliedVersion,
              ...diff,
            };
          } else push = { type: 'config.push', version: head.version, mode: 'full', objects };
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
      `INSERT INTO policies.cluster_bundles (cluster_id, version, tenant_id, hash, change_ids)
       VALUES ($1, $2, $3, $4, '{}') ON CONFLICT DO NOTHING`,
      [request.clusterId, version, tenantId, head.hash],
    );
    await m.query(
      `UPDATE policies.cluster_configs SET desired_version = GREATEST(desired_version, $2), updated_at = now()
        WHERE cluster_id = $1 AND tenant_id = $3`,
      [request.clusterId, version, tenantId],
    );
    return {
      desiredVersion: version,
      push: { type: 'config.push', version, mode: 'full', objects: head.objects },
    };
  }

  /**
   * Records agents' results, one statement per tenant. Per cluster only the newest report counts,
   * and one older than a report already recorded changes nothing; the applied version only grows.
   */
  async recordResults(results: readonly ConfigResult[]): Promise<void> {
    const newest = new Map<string, ConfigResult>();
    for (const result of results) {
      const seen = newest.get(result.clusterId);
      if (!seen || result.version >= seen.version) newest.set(result.clusterId, result);
    }
    const byTenant = new Map<string, ConfigResult[]>();
    for (const result of newest.values()) {
      byTenant.set(result.tenantId, [...(byTenant.get(result.tenantId) ?? []), result]);
    }
    for (const [tenantId, rows] of byTenant) {
      await this.db.tenant(tenantId, (m) =>
        m.query(
          `UPDATE policies.cluster_configs c SET
             applied_version = CASE WHEN r.complete THEN GREATEST(c.applied_version, r.version) ELSE c.applied_version END,
             result_version = r.version, result_complete = r.complete, result_failures = r.failures,
             result_at = r.at, updated_at = now()
           FROM unnest($1::uuid[], $2::int[], $3::boolean[], $4::jsonb[], $5::timestamptz[])
             AS r(cluster_id, version, complete, failures, at)
           WHERE c.cluster_id = r.cluster_id AND c.tenant_id = $6 AND c.result_version <= r.version`,
          [
            rows.map((r) => r.clusterId),
            rows.map((r) => r.version),
            rows.map((r) => r.complete),
            rows.map((r) => JSON.stringify(r.failures)),
            rows.map((r) => r.at),
            tenantId,
          ],
        ),
      );
    }
  }

  /** The config status of each cluster asked for (null where none was compiled), in one query. */
  async configs(tenantId: string, clusterIds: readonly string[]): Promise<(ClusterConfigView | null)[]> {
    const rows = await this.db.tenant(tenantId, (m) =>
      m.find(ClusterConfigEntity, { where: { tenantId, clusterId: In([...clusterIds]) } }),
    );
    const byCluster = new Map(rows.map((row) => [row.clusterId, row]));
    return clusterIds.map((id) => {
      const row = byCluster.get(id);
      return row ? configView(row) : null;
    });
  }

  /**
   * The objects of a cluster's newest bundle version. NOT_FOUND for a cluster with no compiled
   * bundle (another tenant's cluster included: row-level security hides its rows).
   */
  async received(tenantId: string, clusterId: string): Promise<ClusterReceivedConfig> {
    if (!isId(clusterId)) throw policiesError('CLUSTER_CONFIG_NOT_FOUND', { field: 'clusterId' });
    const [row] = await this.db.tenant(
      tenantId,
      (m) =>
        m.query(
          `SELECT b.version, b.hash, b.created_at, c.objects FROM policies.cluster_bundles b
             JOIN policies.bundle_contents c ON c.tenant_id = b.tenant_id AND c.hash = b.hash
            WHERE b.tenant_id = $1 AND b.cluster_id = $2 ORDER BY b.version DESC LIMIT 1`,
          [tenantId, clusterId],
        ) as Promise<{ version: number; hash: string; created_at: Date; objects: ConfigObject[] }[]>,
    );
    if (!row) throw policiesError('CLUSTER_CONFIG_NOT_FOUND', { field: 'clusterId' });
    return {
      clusterId,
      version: row.version,
      hash: row.hash,
      compiledAt: row.created_at,
      objects: row.objects,
      yaml: bundleYaml(row.objects),
    };
  }
}
