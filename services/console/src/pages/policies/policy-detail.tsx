import { useEffect, useState } from 'react';
import {
  DeletePolicyDocument,
  PolicyDetailDocument,
  PolicyVersionDiffDocument,
  type PolicyVersionDiffQuery,
  RollbackPolicyDocument,
  UpdatePolicyDocument,
} from '../../api/generated';
import { type Answered, request } from '../../api/graphql';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorMessage } from '../../components/error-message';
import { Link, navigate } from '../../components/router';
import { useAction } from '../../components/use-action';
import { usePolling } from '../../components/use-polling';
import { useCan } from '../../components/viewer-context';
import { PolicyRollout } from './policy-rollout';
import { PolicyWorkbench } from './policy-workbench';
import { calicoKind, parsePolicyYaml, policyToYaml } from './policy-yaml';

/** The policy and its history are read again this often (another editor's change shows). */
const DETAIL_POLL_MS = 5_000;

type Confirm = { kind: 'enforce' } | { kind: 'delete' } | { kind: 'rollback'; version: number };

/** One policy: its editor (diff, what-if, apply, stage), enforce, delete, history with diffs and rollback, rollout. */
export function PolicyDetail({ id }: { id: string }) {
  const canEdit = useCan('editor');
  const { data, error, loading, refresh } = usePolling(
    () => request(PolicyDetailDocument, { id }),
    DETAIL_POLL_MS,
  );
  const [confirm, setConfirm] = useState<Confirm>();
  const confirming = useAction();
  const [openDiff, setOpenDiff] = useState<number>();

  if (!data)
    return (
      <>
        <p>
          <Link to="/policies">← Policies</Link>
        </p>
        <h1>Policy</h1>
        <ErrorMessage error={error} />
        {loading ? <p role="status">Loading the policy…</p> : null}
      </>
    );

  const { policy, policyHistory } = data;
  const yaml = policyToYaml(policy);
  const latest = policyHistory[0];
  const title = `${policy.namespace ? `${policy.namespace}/` : ''}${policy.name}`;

  const act = (confirm: Confirm) =>
    confirming.run(async () => {
      if (confirm.kind === 'delete') {
        await request(DeletePolicyDocument, { id });
        navigate('/policies');
        return;
      }
      if (confirm.kind === 'rollback')
        await request(RollbackPolicyDocument, { id, version: confirm.version });
      else {
        const parsed = parsePolicyYaml(yaml);
        if (!parsed.ok) throw new Error('the stored policy does not read back');
        await request(UpdatePolicyDocument, { id, input: { spec: { ...parsed.input.spec, staged: false } } });
      }
      setConfirm(undefined);
      await refresh();
    });

  return (
    <>
      <p>
        <Link to="/policies">← Policies</Link>
      </p>
      <h1>
        {title} {policy.staged ? <span className="badge warn">Staged</span> : null}
      </h1>
      <p className="hint">
        {calicoKind(policy.kind, policy.staged)} <code>{policy.calicoName}</code> · tier {policy.tier} ·
        version {policy.version}
      </p>
      <ErrorMessage error={error} />
      {canEdit ? (
        <div className="workbench-actions">
          {policy.staged ? (
            <button type="button" className="primary" onClick={() => setConfirm({ kind: 'enforce' })}>
              Enforce
            </button>
          ) : null}
          <button type="button" className="danger" onClick={() => setConfirm({ kind: 'delete' })}>
            Delete
          </button>
        </div>
      ) : null}
      <section className="panel" aria-labelledby="editor-heading">
        <h2 id="editor-heading">{canEdit ? 'Edit' : 'Definition'}</h2>
        <PolicyWorkbench
          key={policy.version}
          initialYaml={yaml}
          current={{
            id,
            kind: policy.kind,
            name: policy.name,
            namespace: policy.namespace,
            version: policy.version,
            yaml,
          }}
          onSaved={() => void refresh()}
        />
      </section>
      {latest ? (
        <PolicyRollout key={latest.changeId} changeId={latest.changeId} version={latest.version} />
      ) : null}
      <section className="panel" aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        <div className="table-scroll">
          <table className="grid">
            <caption className="visually-hidden">Versions of the policy, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Change</th>
                <th scope="col">When</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {policyHistory.map((version) => (
                <tr key={version.version}>
                  <td>v{version.version}</td>
                  <td>
                    {version.change}
                    {version.restoredVersion !== null ? ` (to v${version.restoredVersion})` : ''}
                  </td>
                  <td>{new Date(version.createdAt).toLocaleString()}</td>
                  <td className="row-actions">
                    {version.version > 1 ? (
                      <button
                        type="button"
                        aria-expanded={openDiff === version.version}
                        onClick={() =>
                          setOpenDiff(openDiff === version.version ? undefined : version.version)
                        }
                      >
                        Changes in v{version.version}
                      </button>
                    ) : null}
                    {canEdit && version.version !== policy.version && version.change !== 'Deleted' ? (
                      <button
                        type="button"
                        onClick={() => setConfirm({ kind: 'rollback', version: version.version })}
                      >
                        Roll back to v{version.version}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {openDiff !== undefined ? (
          <VersionDiff key={openDiff} id={id} from={openDiff - 1} to={openDiff} />
        ) : null}
      </section>
      <ConfirmDialog
        open={confirm !== undefined}
        title={
          confirm?.kind === 'delete'
            ? `Delete ${title}?`
            : confirm?.kind === 'rollback'
              ? `Roll ${title} back to v${confirm.version}?`
              : `Enforce ${title}?`
        }
        confirmLabel={
          confirm?.kind === 'delete' ? 'Delete' : confirm?.kind === 'rollback' ? 'Roll back' : 'Enforce'
        }
        busy={confirming.busy}
        onConfirm={() => confirm && void act(confirm)}
        onCancel={() => {
          setConfirm(undefined);
          confirming.reset();
        }}
      >
        <p>
          {confirm?.kind === 'delete'
            ? 'Its clusters drop it. Its history is kept.'
            : confirm?.kind === 'rollback'
              ? `A new version with the spec of v${confirm.version} is written and rolled out.`
              : 'It stops being staged and decides traffic in every cluster it targets. Run a what-if first.'}
        </p>
        <ErrorMessage error={confirming.error} />
      </ConfirmDialog>
    </>
  );
}

/** What changed in one version against the one before (the API's diff, JSON pointers). */
function VersionDiff({ id, from, to }: { id: string; from: number; to: number }) {
  const [diff, setDiff] = useState<Answered<PolicyVersionDiffQuery>['policyDiff']>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    let current = true;
    request(PolicyVersionDiffDocument, { id, from, to }).then(
      (data) => current && setDiff(data.policyDiff),
      (failure: unknown) => current && setError(failure),
    );
    return () => {
      current = false;
    };
  }, [id, from, to]);
  return (
    <div className="version-diff" data-testid="version-diff">
      <h3>
        Changes from v{from} to v{to}
      </h3>
      <ErrorMessage error={error} />
      {!diff && !error ? <p role="status">Loading the diff…</p> : null}
      {diff && diff.changes.length === 0 ? <p>No change in the spec.</p> : null}
      {diff && diff.changes.length > 0 ? (
        <ul className="diff-entries">
          {diff.changes.map((change) => (
            <li key={`${change.op}:${change.path}`}>
              <strong>{change.op}</strong> <code>{change.path || '(whole policy)'}</code>
              {change.before !== null ? (
                <>
                  {' '}
                  from <code className="del">{change.before}</code>
                </>
              ) : null}
              {change.after !== null ? (
                <>
                  {' '}
                  to <code className="add">{change.after}</code>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
