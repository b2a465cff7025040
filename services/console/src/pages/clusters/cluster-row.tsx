import { Link } from '../../components/router';
import { ago, type ClusterItem, configOf, connection, problemsOf } from './cluster-status';

/** The list's columns, in the order ClusterRow fills them ('' is the admins' actions). */
export function clusterColumns(isAdmin: boolean): readonly (string | false)[] {
  return [
    'Cluster',
    'Status',
    'Last seen',
    'Agent',
    'Kubernetes',
    'Calico',
    'Config applied / desired',
    'Dropped flows',
    'Errors',
    isAdmin && '',
  ];
}

/**
 * One cluster as a table row; its name opens its details (`?cluster=<id>`). Admins (the API's
 * @RequireRole('admin') on revokeCluster and deleteCluster) get Revoke and Delete.
 */
export function ClusterRow(props: {
  cluster: ClusterItem;
  now: number;
  selected: boolean;
  onRevoke?: (cluster: ClusterItem) => void;
  onDelete?: (cluster: ClusterItem) => void;
}) {
  const { cluster, now, onRevoke, onDelete } = props;
  const state = connection(cluster);
  const config = configOf(cluster);
  const problems = problemsOf(cluster);
  return (
    <tr>
      <th scope="row">
        <Link to={`/clusters?cluster=${encodeURIComponent(cluster.id)}`} current={props.selected}>
          {cluster.name}
        </Link>
        <span className="labels">
          {cluster.labels.map((l) => (
            <span key={l.key} className="label">
              {l.key}={l.value}
            </span>
          ))}
        </span>
      </th>
      <td>
        <span className={`badge ${state.tone}`}>{state.label}</span>
      </td>
      <td>{ago(cluster.status.lastSeenAt, now)}</td>
      <td>
        {cluster.status.agentVersion ?? '—'}
        {cluster.status.agentOutdated ? (
          <span className="hint"> upgrade to {cluster.status.recommendedAgentVersion}</span>
        ) : null}
      </td>
      <td>{cluster.status.kubernetesVersion ?? '—'}</td>
      <td>{cluster.status.calicoVersion ?? '—'}</td>
      <td>
        {config.versions} <span className="hint">{config.state}</span>
      </td>
      <td>{cluster.flowTelemetry.droppedFlows.toLocaleString()}</td>
      <td>
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
      {onRevoke && onDelete ? (
        <td>
          <div className="row-actions">
            {cluster.revokedAt ? null : (
              <button type="button" className="danger" onClick={() => onRevoke(cluster)}>
                Revoke<span className="visually-hidden"> {cluster.name}</span>
              </button>
            )}
            <button type="button" className="danger" onClick={() => onDelete(cluster)}>
              Delete<span className="visually-hidden"> {cluster.name}</span>
            </button>
          </div>
        </td>
      ) : null}
    </tr>
  );
}
