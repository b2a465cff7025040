import type { ClustersQuery } from '../../api/generated';
import type { Answered } from '../../api/graphql';

export type ClusterItem = Answered<ClustersQuery>['clusters'][number];

function ago(iso: string | null, now: number): string {
  if (!iso) return 'never';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  return new Date(iso).toLocaleString();
}

function connection(cluster: ClusterItem): { label: string; tone: string } {
  if (cluster.revokedAt) return { label: 'Revoked', tone: 'muted' };
  if (cluster.status.connected) return { label: 'Connected', tone: 'ok' };
  return { label: cluster.status.lastSeenAt ? 'Disconnected' : 'Never connected', tone: 'warn' };
}

/** One cluster as a table row; on narrow screens the CSS lays each row out as a card. */
export function ClusterRow(props: {
  cluster: ClusterItem;
  now: number;
  onRevoke: (cluster: ClusterItem) => void;
}) {
  const { cluster, now } = props;
  const state = connection(cluster);
  const problems = [
    ...cluster.status.errors,
    ...cluster.config.errors.map(
      (e) => `${e.kind} ${e.namespace ? `${e.namespace}/` : ''}${e.name}: ${e.message}`,
    ),
  ];
  return (
    <tr>
      <th scope="row" data-label="Cluster">
        {cluster.name}
        <span className="labels">
          {cluster.labels.map((l) => (
            <span key={l.key} className="label">
              {l.key}={l.value}
            </span>
          ))}
        </span>
      </th>
      <td data-label="Status">
        <span className={`badge ${state.tone}`}>{state.label}</span>
      </td>
      <td data-label="Last seen">{ago(cluster.status.lastSeenAt, now)}</td>
      <td data-label="Agent">{cluster.status.agentVersion ?? '—'}</td>
      <td data-label="Kubernetes">{cluster.status.kubernetesVersion ?? '—'}</td>
      <td data-label="Config">
        {cluster.config.appliedVersion} / {cluster.config.desiredVersion}{' '}
        <span className="hint">{cluster.config.state.toLowerCase()}</span>
      </td>
      <td data-label="Errors">
        {problems.length ? (
          <ul className="problems">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        ) : (
          'none'
        )}
      </td>
      <td data-label="Actions">
        {cluster.revokedAt ? null : (
          <button type="button" className="danger" onClick={() => props.onRevoke(cluster)}>
            Revoke<span className="visually-hidden"> {cluster.name}</span>
          </button>
        )}
      </td>
    </tr>
  );
}
