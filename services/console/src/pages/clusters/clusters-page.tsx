import { ClustersDocument, DeleteClusterDocument, RevokeClusterDocument } from '../../api/generated';
import { request } from '../../api/graphql';
import { DataTable } from '../../components/data-table';
import { ErrorMessage } from '../../components/error-message';
import { Link, navigate, useSearchParams } from '../../components/router';
import { ConfirmedDialog, useConfirmed } from '../../components/use-confirmed';
import { usePolling } from '../../components/use-polling';
import { useCan } from '../../components/viewer-context';
import { ClusterDetail } from './cluster-detail';
import { ClusterRow, clusterColumns } from './cluster-row';
import type { ClusterItem } from './cluster-status';
import { RegisterCluster } from './register-cluster';
import './clusters.css';

/** How often the live status is read again (ARCHITECTURE: "The console", polling). */
export const CLUSTERS_POLL_MS = 5_000;

/**
 * The tenant's clusters, live (one `clusters` request per poll, status, config and dropped flows
 * included), and the one named by `?cluster=<id>` in full. Editors and up register clusters, edit
 * labels and rotate install tokens; admins and owners revoke and delete (the API's @RequireRole).
 */
export function ClustersPage() {
  const canEdit = useCan('editor');
  const isAdmin = useCan('admin');
  const selectedId = useSearchParams().get('cluster');
  const { data, error, loading, refresh } = usePolling(() => request(ClustersDocument), CLUSTERS_POLL_MS);
  const revocation = useConfirmed(async (cluster: ClusterItem) => {
    await request(RevokeClusterDocument, { id: cluster.id });
    await refresh();
  });
  const deletion = useConfirmed(async (cluster: ClusterItem) => {
    await request(DeleteClusterDocument, { id: cluster.id });
    if (cluster.id === selectedId) navigate('/clusters', { replace: true });
    await refresh();
  });
  const now = Date.now();
  const selected = selectedId ? data?.clusters.find((c) => c.id === selectedId) : undefined;

  return (
    <>
      <h1>Clusters</h1>
      {canEdit ? <RegisterCluster onRegistered={() => void refresh()} /> : null}
      <section className="panel" aria-labelledby="clusters-heading" aria-busy={loading}>
        <h2 id="clusters-heading">Your clusters</h2>
        <p className="hint">
          Live status, read every {CLUSTERS_POLL_MS / 1000} s. Open a cluster by its name.
        </p>
        <ErrorMessage error={error} />
        {loading ? <p role="status">Loading clusters…</p> : null}
        {data && data.clusters.length === 0 ? (
          <p role="status">
            {canEdit
              ? 'No clusters yet. Register one above and run its install command.'
              : 'No clusters yet. An editor registers them.'}
          </p>
        ) : null}
        {data && data.clusters.length > 0 ? (
          <DataTable
            caption="Clusters and their agents' status"
            columns={clusterColumns(isAdmin)}
            testId="clusters"
          >
            {data.clusters.map((cluster) => (
              <ClusterRow
                key={cluster.id}
                cluster={cluster}
                now={now}
                selected={cluster.id === selectedId}
                onRevoke={isAdmin ? revocation.ask : undefined}
                onDelete={isAdmin ? deletion.ask : undefined}
              />
            ))}
          </DataTable>
        ) : null}
      </section>
      {selected ? (
        <ClusterDetail cluster={selected} now={now} canEdit={canEdit} onChanged={() => void refresh()} />
      ) : null}
      {selectedId && data && !selected ? (
        <section className="panel" aria-labelledby="cluster-missing-heading">
          <h2 id="cluster-missing-heading">No such cluster</h2>
          <p role="status">
            The tenant has no cluster with this id (it may have been deleted).{' '}
            <Link to="/clusters">Back to the list</Link>
          </p>
        </section>
      ) : null}
      <ConfirmedDialog confirmed={revocation} title={(c) => `Revoke ${c.name}?`} confirmLabel="Revoke">
        <p>Its agent is disconnected within a second and refused from then on. This cannot be undone.</p>
      </ConfirmedDialog>
      <ConfirmedDialog confirmed={deletion} title={(c) => `Delete ${c.name}?`} confirmLabel="Delete">
        <p>
          The cluster, its inventory and its credentials are deleted; a connected agent is disconnected and
          its config is dropped from the mesh. This cannot be undone.
        </p>
      </ConfirmedDialog>
    </>
  );
}
