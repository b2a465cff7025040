import { PolicyRolloutDocument } from '../../api/generated';
import { request } from '../../api/graphql';
import { ErrorMessage } from '../../components/error-message';
import { usePolling } from '../../components/use-polling';

/** How often a rollout is read again while the page shows it (the Clusters page polls every 5 s). */
export const ROLLOUT_POLL_MS = 3_000;

const STATE_BADGE: Record<string, string> = {
  APPLIED: 'ok',
  FAILED: 'warn',
  PENDING: 'muted',
  COMPILING: 'muted',
  ROLLING_OUT: 'muted',
};

/** Where the policy's latest change has got, per cluster, live. */
export function PolicyRollout({ changeId, version }: { changeId: string; version: number }) {
  const { data, error, loading } = usePolling(
    () => request(PolicyRolloutDocument, { changeId }),
    ROLLOUT_POLL_MS,
  );
  const names = new Map(data?.clusters.map((cluster) => [cluster.id, cluster.name]));
  return (
    <section className="panel" aria-labelledby="rollout-heading" data-testid="policy-rollout">
      <h2 id="rollout-heading">
        Rollout of v{version}{' '}
        {data ? (
          <span className={`badge ${STATE_BADGE[data.rollout.state] ?? 'muted'}`}>{data.rollout.state}</span>
        ) : null}
      </h2>
      <p className="hint">Live, read every {ROLLOUT_POLL_MS / 1000} s.</p>
      <ErrorMessage error={error} />
      {loading ? <p role="status">Loading the rollout…</p> : null}
      {data && data.rollout.clusters.length === 0 ? (
        <p role="status">
          {data.rollout.state === 'COMPILING'
            ? 'Compiling the clusters’ bundles…'
            : 'No cluster’s config changed.'}
        </p>
      ) : null}
      {data && data.rollout.clusters.length > 0 ? (
        <div className="table-scroll">
          <table className="grid">
            <caption className="visually-hidden">Clusters the change reaches</caption>
            <thead>
              <tr>
                <th scope="col">Cluster</th>
                <th scope="col">Config version</th>
                <th scope="col">State</th>
                <th scope="col">Errors</th>
              </tr>
            </thead>
            <tbody>
              {data.rollout.clusters.map((cluster) => (
                <tr key={cluster.clusterId}>
                  <td>{names.get(cluster.clusterId) ?? cluster.clusterId}</td>
                  <td>{cluster.version}</td>
                  <td>
                    <span className={`badge ${STATE_BADGE[cluster.state] ?? 'muted'}`}>{cluster.state}</span>
                  </td>
                  <td>
                    {cluster.errors.length === 0 ? (
                      '—'
                    ) : (
                      <ul className="problems">
                        {cluster.errors.map((failure) => (
                          <li key={`${failure.kind}/${failure.namespace ?? ''}/${failure.name}`}>
                            {failure.kind} {failure.namespace ? `${failure.namespace}/` : ''}
                            {failure.name}: {failure.message}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
