import { PolicyBoardDocument, type PolicyBoardQuery } from '../../api/generated';
import type { Answered } from '../../api/graphql';
import { request } from '../../api/graphql';
import { ErrorMessage } from '../../components/error-message';
import { Link } from '../../components/router';
import { usePolling } from '../../components/use-polling';
import { useCan } from '../../components/viewer-context';
import { policyPath } from './policy-path';

type Board = Answered<PolicyBoardQuery>;
type PolicyItem = Board['policies'][number];

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
  const { data, error, loading } = usePolling(() => request(PolicyBoardDocument), BOARD_POLL_MS);
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
              <p className="hint">No policies in this tier.</p>
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
    </>
  );
}
