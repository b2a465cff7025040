/** The Access page's rules, without React: which roles an actor may grant, the audit filter. */
import type { AuditEventFilter, AuditOutcome, Role } from '../../api/generated';
import { text } from '../../components/use-submit';
import { ROLE_ORDER } from '../../components/viewer-context';

/** The roles up to `actor`'s own: what a token it creates may do. */
export function rolesUpTo(actor: Role): readonly Role[] {
  return ROLE_ORDER.slice(0, ROLE_ORDER.indexOf(actor) + 1);
}

/**
 * The roles `actor` may give a member: owners any, admins any below owner (the tenants service's
 * membership rules, which refuse anything else anyway).
 */
export function grantableRoles(actor: Role): readonly Role[] {
  return actor === 'owner' ? ROLE_ORDER : rolesUpTo(actor).filter((role) => role !== 'owner');
}

/** A datetime-local value (the browser's local time) as an ISO instant; empty: none. */
function instant(local: string): string | undefined {
  if (!local) return undefined;
  const time = new Date(local);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}

/** The audit log's filter form as the API's filter; empty fields filter nothing. */
export function auditFilter(form: FormData): AuditEventFilter {
  const filter: AuditEventFilter = {};
  const operation = text(form, 'operation');
  const outcome = text(form, 'outcome');
  const actor = text(form, 'actor');
  if (operation) filter.operation = operation;
  if (outcome) filter.outcome = outcome as AuditOutcome;
  if (actor) filter.actorUserId = actor;
  const since = instant(text(form, 'since'));
  const until = instant(text(form, 'until'));
  if (since) filter.since = since;
  if (until) filter.until = until;
  return filter;
}
