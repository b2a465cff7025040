import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { type AuditEventFilter, AuditEventsDocument, type AuditEventsQuery } from '../../api/generated';
import { type Answered, request } from '../../api/graphql';
import { DataTable } from '../../components/data-table';
import { ErrorMessage } from '../../components/error-message';
import { Field } from '../../components/field';
import { useSubmit } from '../../components/use-submit';
import { auditFilter } from './access-rules';

type AuditEvent = Answered<AuditEventsQuery>['auditEvents']['nodes'][number];

/** Events per page (the API allows 1–200). */
export const AUDIT_PAGE_SIZE = 25;

interface Loaded {
  events: AuditEvent[];
  endCursor: string | null;
  hasNextPage: boolean;
}

function actorOf(event: AuditEvent, emailOf: (userId: string) => string): string {
  if (event.actorKind === 'anonymous') return 'anonymous';
  const user = event.actorUserId ? emailOf(event.actorUserId) : 'unknown';
  return event.actorKind === 'token' ? `${user} (API token)` : user;
}

/**
 * The tenant's audit log (admins and owners), newest first: filters by mutation, member, outcome
 * and time, and further pages by the API's cursor ("Show more").
 */
export function AuditLog(props: {
  members: readonly { id: string; email: string }[];
  emailOf: (userId: string) => string;
}) {
  const outcomeId = useId();
  const actorId = useId();
  const sinceId = useId();
  const untilId = useId();
  const [filter, setFilter] = useState<AuditEventFilter>({});
  const [loaded, setLoaded] = useState<Loaded>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const generation = useRef(0);

  const load = useCallback(async (wanted: AuditEventFilter, after: string | null) => {
    const mine = ++generation.current;
    setBusy(true);
    setError(undefined);
    try {
      const { auditEvents } = await request(AuditEventsDocument, {
        first: AUDIT_PAGE_SIZE,
        after,
        filter: wanted,
      });
      if (mine !== generation.current) return;
      setLoaded((previous) => ({
        events: after && previous ? [...previous.events, ...auditEvents.nodes] : auditEvents.nodes,
        endCursor: auditEvents.endCursor,
        hasNextPage: auditEvents.hasNextPage,
      }));
    } catch (failure) {
      if (mine === generation.current) setError(failure);
    } finally {
      if (mine === generation.current) setBusy(false);
    }
  }, []);

  useEffect(() => {
    void load({}, null);
  }, [load]);

  const filters = useSubmit(async (form) => {
    const wanted = auditFilter(form);
    setFilter(wanted);
    await load(wanted, null);
  });

  return (
    <section className="panel" aria-labelledby="audit-heading" aria-busy={busy}>
      <h2 id="audit-heading">Audit log</h2>
      <form onSubmit={filters.onSubmit} aria-label="Filter the audit log" className="filters">
        <Field label="Mutation" name="operation" placeholder="updateMemberRole" />
        <div className="field">
          <label htmlFor={actorId}>Member</label>
          <select id={actorId} name="actor" defaultValue="">
            <option value="">Anyone</option>
            {props.members.map((member) => (
              <option key={member.id} value={member.id}>
                {member.email}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={outcomeId}>Outcome</label>
          <select id={outcomeId} name="outcome" defaultValue="">
            <option value="">Any</option>
            <option value="ok">ok</option>
            <option value="error">error</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={sinceId}>Since</label>
          <input id={sinceId} name="since" type="datetime-local" />
        </div>
        <div className="field">
          <label htmlFor={untilId}>Until</label>
          <input id={untilId} name="until" type="datetime-local" />
        </div>
        <button type="submit" disabled={busy}>
          Apply filters
        </button>
      </form>
      <ErrorMessage error={error ?? filters.error} />
      {loaded === undefined && busy ? <p role="status">Loading the audit log…</p> : null}
      {loaded && loaded.events.length === 0 ? <p role="status">No events match.</p> : null}
      {loaded && loaded.events.length > 0 ? (
        <DataTable
          caption="Audit events, newest first"
          columns={['When', 'Mutation', 'Who', 'Target', 'Outcome']}
          testId="audit-log"
        >
          {loaded.events.map((event) => (
            <tr key={event.id}>
              <td>{new Date(event.occurredAt).toLocaleString()}</td>
              <th scope="row">
                {event.operation} <span className="hint">{event.service}</span>
              </th>
              <td>{actorOf(event, props.emailOf)}</td>
              <td>
                {event.targetType ?? ''} <span className="hint">{event.targetId ?? '—'}</span>
              </td>
              <td>
                <span className={`badge ${event.outcome === 'ok' ? 'ok' : 'warn'}`}>{event.outcome}</span>
                {event.errorCode ? <span className="hint"> {event.errorCode}</span> : null}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => void load(filter, null)}>
          Refresh
        </button>
        {loaded?.hasNextPage ? (
          <button type="button" disabled={busy} onClick={() => void load(filter, loaded.endCursor)}>
            Show more
          </button>
        ) : null}
      </div>
    </section>
  );
}
