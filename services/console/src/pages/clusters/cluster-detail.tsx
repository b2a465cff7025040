import { useEffect, useRef, useState } from 'react';
import {
  RotateInstallTokenDocument,
  type RotateInstallTokenMutation,
  UpdateClusterLabelsDocument,
} from '../../api/generated';
import { request } from '../../api/graphql';
import { CopyButton } from '../../components/copy-button';
import { ErrorMessage } from '../../components/error-message';
import { Field } from '../../components/field';
import { Link } from '../../components/router';
import { useAction } from '../../components/use-action';
import { text, useSubmit } from '../../components/use-submit';
import { ago, type ClusterItem, configOf, connection, problemsOf } from './cluster-status';
import { formatLabels, labelsProblem, parseLabels } from './labels';

/**
 * One cluster in full (from the polled list, no request of its own): live status, config rollout,
 * dropped flows, errors; editors and up (the API's @RequireRole('editor')) also edit its labels
 * and rotate its install token.
 */
export function ClusterDetail(props: {
  cluster: ClusterItem;
  now: number;
  canEdit: boolean;
  onChanged: () => void;
}) {
  const { cluster, now } = props;
  const heading = useRef<HTMLHeadingElement>(null);
  // Opening a cluster moves focus (and the view) to its details.
  useEffect(() => {
    if (cluster.id) heading.current?.focus();
  }, [cluster.id]);
  const state = connection(cluster);
  const config = configOf(cluster);
  const problems = problemsOf(cluster);
  const telemetry = cluster.flowTelemetry;
  return (
    <section className="panel" aria-labelledby="cluster-detail-heading" data-testid="cluster-detail">
      <div className="detail-head">
        <h2 id="cluster-detail-heading" ref={heading} tabIndex={-1}>
          Cluster {cluster.name}
        </h2>
        <Link to="/clusters">Close the details</Link>
      </div>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <span className={`badge ${state.tone}`}>{state.label}</span>
        </dd>
        <dt>Last seen</dt>
        <dd>{ago(cluster.status.lastSeenAt, now)}</dd>
        <dt>Agent</dt>
        <dd>
          {cluster.status.agentVersion ?? '—'}
          {cluster.status.agentOutdated
            ? ` (${cluster.status.recommendedAgentVersion} is out: run the install command again to upgrade)`
            : ''}
        </dd>
        <dt>Kubernetes</dt>
        <dd>{cluster.status.kubernetesVersion ?? '—'}</dd>
        <dt>Calico</dt>
        <dd>{cluster.status.calicoVersion ?? '—'}</dd>
        <dt>Nodes</dt>
        <dd>{cluster.status.nodeCount ?? '—'}</dd>
        <dt>Config applied / desired</dt>
        <dd>
          {config.versions} ({config.state}), last result {ago(cluster.config.lastResultAt, now)}
        </dd>
        <dt>Dropped flows</dt>
        <dd>
          {telemetry.droppedFlows.toLocaleString()}
          {telemetry.lastDropAt ? `, last ${ago(telemetry.lastDropAt, now)}` : ''}
        </dd>
        <dt>Labels</dt>
        <dd>{cluster.labels.length ? formatLabels(cluster.labels) : 'none'}</dd>
        <dt>Registered</dt>
        <dd>{new Date(cluster.createdAt).toLocaleString()}</dd>
        {cluster.revokedAt ? (
          <>
            <dt>Revoked</dt>
            <dd>{new Date(cluster.revokedAt).toLocaleString()}</dd>
          </>
        ) : null}
      </dl>
      <h3>Errors</h3>
      {problems.length ? (
        <ul className="problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : (
        <p>No errors.</p>
      )}
      {props.canEdit ? (
        <>
          <LabelsEditor key={cluster.id} cluster={cluster} onChanged={props.onChanged} />
          {cluster.revokedAt ? null : <InstallTokenRotation key={cluster.id} cluster={cluster} />}
        </>
      ) : null}
    </section>
  );
}

/** Replaces the cluster's labels; a bad one is shown at the field as the server said it. */
function LabelsEditor({ cluster, onChanged }: { cluster: ClusterItem; onChanged: () => void }) {
  const current = formatLabels(cluster.labels);
  const [saved, setSaved] = useState(false);
  const { busy, error, onSubmit } = useSubmit(async (form) => {
    setSaved(false);
    const labels = parseLabels(text(form, 'labels'));
    await request(UpdateClusterLabelsDocument, { id: cluster.id, labels });
    setSaved(true);
    onChanged();
  });
  const atField = labelsProblem(error, 'labels');
  return (
    <>
      <h3>Edit labels</h3>
      {/* Keyed by the saved labels: a save (here or elsewhere) starts the field from them again. */}
      <form
        key={`${cluster.id} ${current}`}
        onSubmit={onSubmit}
        aria-label={`Edit the labels of ${cluster.name}`}
        className="inline-form labels-form"
      >
        <Field
          label="Labels"
          name="labels"
          defaultValue={current}
          error={atField}
          hint="key=value, separated by commas; they drive policy and zone targeting"
        />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save labels'}
        </button>
      </form>
      {atField ? null : <ErrorMessage error={error} />}
      <p className="hint" role="status">
        {saved && !error ? 'Labels saved.' : ''}
      </p>
    </>
  );
}

type Rotated = RotateInstallTokenMutation['rotateInstallToken'];

/** A new install command, shown this once (React state only); earlier unused ones stop working. */
function InstallTokenRotation({ cluster }: { cluster: ClusterItem }) {
  const [rotated, setRotated] = useState<NonNullable<Rotated>>();
  const rotation = useAction();
  const rotate = () =>
    rotation.run(async () => {
      const result = await request(RotateInstallTokenDocument, { id: cluster.id });
      setRotated(result.rotateInstallToken);
    });
  return (
    <>
      <h3>Install command</h3>
      <p className="hint">
        A new install command for reinstalling the agent; install commands not used yet stop working.
      </p>
      <button type="button" onClick={() => void rotate()} disabled={rotation.busy}>
        {rotation.busy ? 'Rotating…' : 'Rotate the install token'}
      </button>
      <ErrorMessage error={rotation.error} />
      {rotated ? (
        <div className="install" aria-live="polite">
          <p>
            Run this once against <strong>{rotated.cluster.name}</strong> (shown only now; the token in it
            works once, until {new Date(rotated.installTokenExpiresAt).toLocaleString()}):
          </p>
          <div className="command">
            <code data-testid="rotated-install-command">{rotated.installCommand}</code>
            <CopyButton
              text={rotated.installCommand}
              label={`Copy the new install command of ${rotated.cluster.name}`}
            />
          </div>
        </div>
      ) : null}
    </>
  );
}
