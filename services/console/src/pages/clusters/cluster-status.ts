import type { ClustersQuery } from '../../api/generated';
import type { Answered } from '../../api/graphql';

export type ClusterItem = Answered<ClustersQuery>['clusters'][number];

/** A moment as "12 s ago", "3 min ago", else the local date and time; "never" for none. */
export function ago(iso: string | null, now: number): string {
  if (!iso) return 'never';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  return new Date(iso).toLocaleString();
}

/** The cluster's agent connection as a badge: its words and tone. */
export function connection(cluster: ClusterItem): { label: string; tone: string } {
  if (cluster.revokedAt) return { label: 'Revoked', tone: 'muted' };
  if (cluster.status.connected) return { label: 'Connected', tone: 'ok' };
  return { label: cluster.status.lastSeenAt ? 'Disconnected' : 'Never connected', tone: 'warn' };
}

/** The agent's problems and the objects of the latest config attempt that failed, one line each. */
export function problemsOf(cluster: ClusterItem): string[] {
  return [
    ...cluster.status.errors,
    ...cluster.config.errors.map(
      (e) => `${e.kind} ${e.namespace ? `${e.namespace}/` : ''}${e.name}: ${e.message}`,
    ),
  ];
}

/** The config rollout: applied and desired versions, and whether the desired one is applied. */
export function configOf(cluster: ClusterItem): { versions: string; state: string } {
  return {
    versions: `v${cluster.config.appliedVersion} / v${cluster.config.desiredVersion}`,
    state: cluster.config.state.toLowerCase(),
  };
}
