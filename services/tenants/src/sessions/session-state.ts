/**
 * A session token's life after it was issued, as `tenants.ended_sessions` records it. Pure: the
 * data access (`ended-sessions.service.ts`) stores what `endSession` decides, in one upsert that
 * keeps the earlier end, and reads the state back with `stateAt`.
 *
 *   active ──logout──────────────► ended (logout, now)
 *   active ──refresh─► superseded (until now + grace) ──time──► ended (refresh)
 *                       superseded ──logout──► ended (logout, now)
 *                       superseded ──refresh─► superseded (the grace is not extended)
 *   ended ──logout | refresh──► ended (unchanged: ending is idempotent)
 */

/** What ends a session: logging out, or a refresh that replaced its token. */
export type EndCause = 'logout' | 'refresh';

/** What is recorded for a session that was ended: from when it is refused, and why. */
export interface SessionEnd {
  endedAt: Date;
  cause: EndCause;
}

export type SessionState =
  | { kind: 'active' }
  /** Refreshed: the old token still works until `until`, so requests already in flight (or a second tab) finish. */
  | { kind: 'superseded'; until: Date }
  | { kind: 'ended'; cause: EndCause; at: Date };

/** The end an event asks for: a logout ends the session now; a refresh after the grace. */
export function requestedEnd(cause: EndCause, now: Date, graceMs: number): SessionEnd {
  return { cause, endedAt: cause === 'logout' ? now : new Date(now.getTime() + graceMs) };
}

/** The transition: the earlier end wins, so nothing brings a session back or extends its grace. */
export function endSession(current: SessionEnd | undefined, requested: SessionEnd): SessionEnd {
  return current && current.endedAt.getTime() <= requested.endedAt.getTime() ? current : requested;
}

/** The state of a session with this record (none: it was never ended) at `now`. */
export function stateAt(end: SessionEnd | undefined, now: Date): SessionState {
  if (!end) return { kind: 'active' };
  if (end.endedAt.getTime() > now.getTime()) return { kind: 'superseded', until: end.endedAt };
  return { kind: 'ended', cause: end.cause, at: end.endedAt };
}

/** Why an ended session's token is refused, for the caller. */
export const ENDED_SESSION_MESSAGES = {
  logout: 'this session was ended by logging out; log in again',
  refresh: 'this session token was replaced by a refresh; use the new token, or log in again',
} as const satisfies Record<EndCause, string>;
