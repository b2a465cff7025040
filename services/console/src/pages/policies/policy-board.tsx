import { useState } from 'react';
import { DeleteTierDocument, PolicyBoardDocument, type PolicyBoardQuery } from '../../api/generated';
import { type Answered, request } from '../../api/graphql';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorMessage } from '../../components/error-message';
import { Link } from '../../components/router';
import { useAction } from '../../components/use-action';
import { usePolling } from '../../components/use-polling';
import { useCan } from '../../components/viewer-context';
import { NewTier } from './new-tier';
import { policyPath } from './policy-path';

type Board = Answered<PolicyBoardQuery>;
type PolicyItem = Board['policies'][number];
type TierItem = Board['tiers'][number];

/** Board refresh (other editors' changes show without a reload). */
const BOARD_POLL_MS = 5_000;

/** Inside a tier: by order (none = last), then name, as Calico evaluates them. */
function byOrder(a: PolicyItem, b: PolicyItem): number {
  const order = (a.spec.order ?? Number.POSITIVE_INFINITY) - (b.spec.order ?? Number.POSITIVE_INFINITY);
  if (order !== 0 && !Number.isNaN(order)) return order;
  return `${a.namespace ?? ''}/${a.name}`.localeCompare(`${b.namespace ?? ''}/${b.name}`);
}

/** The tiers in evaluation order, each with its policies in order; staged policies marked. */
export function PolicyBoard() {
  const canEdit = useCan('editor');
  const { data, error, loading, refresh } = usePolling(() => request(PolicyBoardDocument), BOARD_POLL_MS);
  const [deleting, setDeleting] = useState<TierItem>();
  const deletion = useAction();
  const confirmDelete = (tier: TierItem) =>
    deletion.run(async () => {
      await request(DeleteTierDocument, { id: tier.id });
      setDeleting(undefined);
      await refresh();
    });
  return (
    <>
      <h1>Policies</h1>
      {canEdit ? (
        <p>
          <Link to="/policies?new=1">New policy</Link>
        </p>
      ) : null}
      <ErrorMessage error={error} />
      {loading ? <p role="status">Loading policies…</p> : null}
      {data && data.policies.length === 0 ? (
        <p role="status">No policies yet.{canEdit ? ' Write one, or start from a recommendation.' : ''}</p>
      ) : null}
      {data?.tiers.map((tier) => {
        const policies = data.policies.filter((policy) => policy.tier === tier.name).sort(byOrder);
        const headingId = `tier-${tier.id}`;
        return (
          <section key={tier.id} className="panel" aria-labelledby={headingId}>
            <h2 id={headingId}>
              Tier {tier.name}
              <span className="hint">
                {' '}
                · order {tier.order ?? 'last'} · default {tier.defaultAction}
                {tier.builtIn ? ' · built in' : ''}
              </span>
            </h2>
            {policies.length === 0 ? (
              <p className="hint">
                No policies in this tier.{' '}
                {canEdit && !tier.builtIn ? (
                  <button type="button" className="danger" onClick={() => setDeleting(tier)}>
                    Delete tier {tier.name}
                  </button>
                ) : null}
              </p>
            ) : (
              <ol className="policy-list" aria-label={`Policies of tier ${tier.name}, in order`}>
                {policies.map((policy) => (
                  <li key={policy.id}>
                    <Link to={policyPath(policy.id)}>
                      {policy.namespace ? `${policy.namespace}/` : ''}
                      {policy.name}
                    </Link>{' '}
                    {policy.staged ? <span className="badge warn">Staged</span> : null}
                    <span className="hint">
                      {' '}
                      {policy.kind} · order {policy.spec.order ?? 'last'} · v{policy.version} · clusters{' '}
                      <code>{policy.spec.clusterSelector || 'all()'}</code>
                    </span>
                  </li>
                ))}
              </ol>
            )}
          </section>
        );
      })}
      {canEdit ? <NewTier onCreated={() => void refresh()} /> : null}
      <ConfirmDialog
        open={deleting !== undefined}
        title={`Delete tier ${deleting?.name ?? ''}?`}
        confirmLabel="Delete"
        busy={deletion.busy}
        onConfirm={() => deleting && void confirmDelete(deleting)}
        onCancel={() => {
          setDeleting(undefined);
          deletion.reset();
        }}
      >
        <p>It has no policies; its clusters drop it.</p>
        <ErrorMessage error={deletion.error} />
      </ConfirmDialog>
    </>
  );
}
