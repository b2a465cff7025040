import type { ClusterConfigEntity, ConfigState } from './bundle.entities.js';

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
