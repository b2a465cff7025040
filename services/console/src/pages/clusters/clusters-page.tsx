import { useState } from 'react';
import { ClustersDocument, RevokeClusterDocument } from '../../api/generated';
import { request } from '../../api/graphql';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorMessage } from '../../components/error-message';
import { usePolling } from '../../components/use-polling';
import { type ClusterItem, ClusterRow } from './cluster-row';
import { RegisterCluster } from './register-cluster';

/** How often the live status is read again (ARCHITECTURE: "The console", polling). */
export const CLUSTERS_POLL_MS = 5_000;

export function ClustersPage() {
  const { data, error, loading, refresh } = usePolling(() => request(ClustersDocument), CLUSTERS_POLL_MS);
  const [revoking, setRevoking] = useState<ClusterItem>();
  const [revokeBusy, setRevokeBusy] = useState(false);
  const [revokeError, setRevokeError] = useState<unknown>();
  const now = Date.now();

  const confirmRevoke = async () => {
    if (!revoking) return;
    setRevokeBusy(true);
    setRevokeError(undefined);
    try {
      await request(RevokeClusterDocument, { id: revoking.id });
      setRevoking(undefined);
      await refresh();
    } catch (failure) {
      setRevokeError(failure);
    } finally {
      setRevokeBusy(false);
    }
  };

  return (
    <>
      <h1>Clusters</h1>
      <RegisterCluster onRegistered={() => void refresh()} />
      <section className="panel" aria-labelledby="clusters-heading" aria-busy={loading}>
        <h2 id="clusters-heading">Your clusters</h2>
        <p className="hint">Live status, read every {CLUSTERS_POLL_MS / 1000} s.</p>
        <ErrorMessage error={error} />
        {loading ? <p role="status">Loading clusters…</p> : null}
        {data && data.clusters.length === 0 ? (
          <p role="status">No clusters yet. Register one above and run its install command.</p>
        ) : null}
        {data && data.clusters.length > 0 ? (
          <table className="clusters">
            <caption className="visually-hidden">Clusters and their agents' status</caption>
            <thead>
              <tr>
                <th scope="col">Cluster</th>
                <th scope="col">Status</th>
                <th scope="col">Last seen</th>
                <th scope="col">Agent</th>
                <th scope="col">Kubernetes</th>
                <th scope="col">Config applied / desired</th>
                <th scope="col">Errors</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.clusters.map((cluster) => (
                <ClusterRow key={cluster.id} cluster={cluster} now={now} onRevoke={setRevoking} />
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      <ConfirmDialog
        open={revoking !== undefined}
        title={`Revoke ${revoking?.name ?? ''}?`}
        confirmLabel="Revoke"
        busy={revokeBusy}
        onConfirm={() => void confirmRevoke()}
        onCancel={() => {
          setRevoking(undefined);
          setRevokeError(undefined);
        }}
      >
        <p>Its agent is disconnected within a second and refused from then on. This cannot be undone.</p>
        <ErrorMessage error={revokeError} />
      </ConfirmDialog>
    </>
  );
}
