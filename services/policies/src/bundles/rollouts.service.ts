import { isId, TenantDb } from '@meshplane/platform';
import type { ConfigOutcome } from '@meshplane/protocol';
import { Injectable } from '@nestjs/common';
import { policiesError } from '../policies/policies.errors.js';
import { ConfigChangeEntity } from './bundle.entities.js';
import { type ClusterConfigView, configView } from './cluster-config-view.js';
import { ConfigStateValue, type Rollout, type RolloutCluster, RolloutStateValue } from './config.model.js';

interface RolloutRow {
  cluster_id: string;
  version: number;
  desired_version: number | null;
  applied_version: number | null;
  result_version: number | null;
  result_complete: boolean | null;
  result_failures: ConfigOutcome[] | null;
}

const STATE: Record<ClusterConfigView['state'], ConfigStateValue> = {
  pending: ConfigStateValue.PENDING,
  applied: ConfigStateValue.APPLIED,
  failed: ConfigStateValue.FAILED,
};

/** Which clusters a change reached: the bundle versions that first carry it and the agents' results. */
@Injectable()
export class RolloutsService {
  constructor(private readonly db: TenantDb) {}

  async rollout(tenantId: string, changeId: string): Promise<Rollout> {
    if (!isId(changeId)) throw policiesError('CHANGE_NOT_FOUND', { field: 'changeId' });
    return this.db.tenant(tenantId, async (m) => {
      const change = await m.findOne(ConfigChangeEntity, { where: { tenantId, changeId } });
      if (!change) throw policiesError('CHANGE_NOT_FOUND', { field: 'changeId' });
      const compiling = change.compiledAt === null;
      const rows = (await m.query(
        `SELECT b.cluster_id, b.version, c.desired_version, c.applied_version, c.result_version,
                c.result_complete, c.result_failures
           FROM policies.cluster_bundles b
           LEFT JOIN policies.cluster_configs c ON c.cluster_id = b.cluster_id
          WHERE b.tenant_id = $1 AND b.change_ids @> ARRAY[$2]::uuid[]
          ORDER BY b.cluster_id`,
        [tenantId, changeId],
      )) as RolloutRow[];
      const clusters = rows.map((row): RolloutCluster => {
        // The change counts as applied once any version from the one that carries it on is.
        const view = configView({
          clusterId: row.cluster_id,
          tenantId,
          desiredVersion: row.version,
          appliedVersion: row.applied_version ?? 0,
          resultVersion: row.result_version ?? 0,
          resultComplete: row.result_complete ?? false,
          resultFailures: row.result_failures ?? [],
          resultAt: null,
          updatedAt: new Date(),
        });
        return {
          clusterId: row.cluster_id,
          version: row.version,
          state: STATE[view.state],
          errors: view.errors,
        };
      });
      const state = compiling
        ? RolloutStateValue.COMPILING
        : clusters.some((c) => c.state === ConfigStateValue.FAILED)
          ? RolloutStateValue.FAILED
          : clusters.every((c) => c.state === ConfigStateValue.APPLIED)
            ? RolloutStateValue.APPLIED
            : RolloutStateValue.ROLLING_OUT;
      return { changeId, state, clusters };
    });
  }
}
