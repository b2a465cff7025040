import { useId } from 'react';
import { type EncryptionQuery, SetEncryptionDocument } from '../../api/generated';
import { type Answered, request } from '../../api/graphql';
import { DataTable } from '../../components/data-table';
import { ErrorMessage } from '../../components/error-message';
import { useSubmit } from '../../components/use-submit';
import { useCan } from '../../components/viewer-context';
import { encryptionReplacement, SWITCHES } from './compliance-inputs';

type Encryption = Answered<EncryptionQuery>;
type Status = Encryption['encryptionStatus'];

const BLOCKERS = {
  WIREGUARD_DISABLED: 'WireGuard is off',
  NO_NODES_REPORTED: 'no nodes reported yet',
  NODES_WITHOUT_PUBLIC_KEY: 'nodes without a WireGuard key',
} as const;

function blockerText(reason: string): string {
  return BLOCKERS[reason as keyof typeof BLOCKERS] ?? reason;
}

/** WireGuard: the mesh-wide switches (editors and up), per-cluster overrides, the pair matrix. */
export function EncryptionPanel(props: {
  data: Encryption | undefined;
  loading: boolean;
  error: unknown;
  onChanged: () => void;
}) {
  const canEdit = useCan('editor');
  const baseId = useId();
  const mesh = props.data?.encryptionSettings.find((s) => s.clusterId === null);
  const overrides = props.data?.encryptionSettings.filter((s) => s.clusterId !== null) ?? [];
  const nameOf = (clusterId: string) =>
    props.data?.encryptionStatus.clusters.find((c) => c.clusterId === clusterId)?.clusterName ?? clusterId;
  const save = useSubmit(async (form) => {
    await request(SetEncryptionDocument, { input: encryptionReplacement(mesh, form) });
    props.onChanged();
  });

  return (
    <section className="panel" aria-labelledby="encryption-heading" aria-busy={props.loading}>
      <h2 id="encryption-heading">Encryption (WireGuard)</h2>
      <ErrorMessage error={props.error} />
      {props.loading ? <p role="status">Loading encryption…</p> : null}
      {props.data ? (
        <>
          <form onSubmit={save.onSubmit} aria-label="Mesh-wide WireGuard settings" className="switches">
            <fieldset disabled={!canEdit || save.busy}>
              <legend>Mesh-wide</legend>
              {SWITCHES.map(({ field, label }) => (
                <div key={`${field}:${String(mesh?.[field])}`} className="switch">
                  <input
                    id={`${baseId}-${field}`}
                    name={field}
                    type="checkbox"
                    defaultChecked={mesh?.[field] === true}
                  />
                  <label htmlFor={`${baseId}-${field}`}>{label}</label>
                </div>
              ))}
            </fieldset>
            {canEdit ? (
              <button type="submit" className="primary" disabled={save.busy}>
                {save.busy ? 'Saving…' : 'Save encryption'}
              </button>
            ) : null}
            <ErrorMessage error={save.error} />
            <p className="hint">
              {mesh?.updatedAt
                ? `Changed ${new Date(mesh.updatedAt).toLocaleString()}.`
                : 'Never set: Calico defaults.'}{' '}
              Pushed to every cluster as its FelixConfiguration.
            </p>
          </form>
          {overrides.length > 0 ? (
            <p>
              Per-cluster overrides:{' '}
              {overrides
                .map(
                  (o) =>
                    `${nameOf(o.clusterId ?? '')} (IPv4 ${o.wireguardEnabled === null ? 'inherited' : o.wireguardEnabled ? 'on' : 'off'})`,
                )
                .join(', ')}
              .
            </p>
          ) : null}
          <EncryptionMatrix status={props.data.encryptionStatus} />
        </>
      ) : null}
    </section>
  );
}

/** Every pair of clusters: encrypted or not, and why not. */
function EncryptionMatrix({ status }: { status: Status }) {
  const pairOf = (a: string, b: string) =>
    status.pairs.find(
      (p) => (p.clusterA === a && p.clusterB === b) || (p.clusterA === b && p.clusterB === a),
    );
  if (status.clusters.length === 0)
    return <p role="status">No clusters yet: register one on the Clusters page.</p>;
  return (
    <>
      <h3>Clusters</h3>
      <DataTable
        caption="Each cluster's side of WireGuard encryption"
        columns={['Cluster', 'WireGuard', 'Nodes with a key', 'Blockers']}
      >
        {status.clusters.map((cluster) => (
          <tr key={cluster.clusterId}>
            <th scope="row">{cluster.clusterName}</th>
            <td>{cluster.wireguardEnabled ? 'on' : 'off'}</td>
            <td>
              {cluster.nodesWithPublicKey} / {cluster.nodeCount}
            </td>
            <td>{cluster.blockers.map(blockerText).join(', ') || '—'}</td>
          </tr>
        ))}
      </DataTable>
      <h3>Between clusters</h3>
      <div className="table-scroll">
        <table className="data matrix" data-testid="encryption-matrix">
          <caption className="visually-hidden">
            Whether traffic between each pair of clusters is encrypted
          </caption>
          <thead>
            <tr>
              <td />
              {status.clusters.map((c) => (
                <th key={c.clusterId} scope="col">
                  {c.clusterName}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {status.clusters.map((row) => (
              <tr key={row.clusterId}>
                <th scope="row">{row.clusterName}</th>
                {status.clusters.map((column) => {
                  if (row.clusterId === column.clusterId) return <td key={column.clusterId}>—</td>;
                  const pair = pairOf(row.clusterId, column.clusterId);
                  if (!pair) return <td key={column.clusterId}>?</td>;
                  return (
                    <td key={column.clusterId}>
                      <span className={`badge ${pair.encrypted ? 'ok' : 'warn'}`}>
                        {pair.encrypted ? 'Encrypted' : 'Not encrypted'}
                      </span>
                      {pair.blockers.length ? (
                        <span className="hint">
                          {' '}
                          {pair.blockers
                            .map(
                              (b) =>
                                `${b.clusterId === row.clusterId ? row.clusterName : column.clusterName}: ${blockerText(b.reason)}`,
                            )
                            .join('; ')}
                        </span>
                      ) : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
