import type { GoodbyeReason } from './messages.js';

/**
 * Websocket close codes of the protocol. 4xxx codes mirror the HTTP status of the same meaning
 * (4401 ~ 401, 4403 ~ 403, ...). `reconnect` tells the agent whether to dial again (with
 * backoff): after a revocation, a deletion or an unsupported protocol it waits for an operator
 * instead of hammering the hub.
 */
export const CLOSE_CODES = {
  normal: 1000,
  /** The hub or agent is shutting down (deploy, drain); reconnect to another replica. */
  going_away: 1001,
  internal_error: 1011,
  protocol_error: 4400,
  unauthenticated: 4401,
  revoked: 4403,
  heartbeat_timeout: 4408,
  superseded: 4409,
  deleted: 4410,
  frame_too_large: 4413,
  unsupported_protocol: 4426,
  rate_limited: 4429,
} as const;

export type CloseReason = keyof typeof CLOSE_CODES;
export type CloseCode = (typeof CLOSE_CODES)[CloseReason];

/** Whether the agent should reconnect after each close. */
const RECONNECT_AFTER = {
  normal: true,
  going_away: true,
  internal_error: true,
  protocol_error: true,
  /** The credential may just have been rotated: the agent rereads its Secret and retries. */
  unauthenticated: true,
  revoked: false,
  heartbeat_timeout: true,
  /** Another session of the same cluster took over, e.g. a rolling update's new pod. */
  superseded: true,
  deleted: false,
  frame_too_large: true,
  unsupported_protocol: false,
  rate_limited: true,
} as const satisfies Record<CloseReason, boolean>;

const REASON_BY_CODE = new Map<number, CloseReason>(
  Object.entries(CLOSE_CODES).map(([reason, code]) => [code, reason as CloseReason]),
);

/** The reason text for a close code (also the websocket close reason sent), `unknown` if none. */
export function closeReason(code: number): CloseReason | 'unknown' {
  return REASON_BY_CODE.get(code) ?? 'unknown';
}

/**
 * Whether an agent should dial again after a close with `code`. Codes outside the table (e.g.
 * 1006, an abnormal drop) are network trouble: reconnect.
 */
export function shouldReconnect(code: number): boolean {
  const reason = REASON_BY_CODE.get(code);
  return reason === undefined ? true : RECONNECT_AFTER[reason];
}

const CLOSE_CODE_FOR_GOODBYE = {
  revoked: CLOSE_CODES.revoked,
  shutdown: CLOSE_CODES.going_away,
  superseded: CLOSE_CODES.superseded,
  deleted: CLOSE_CODES.deleted,
  protocol_error: CLOSE_CODES.protocol_error,
} as const satisfies Record<GoodbyeReason, CloseCode>;

/** The close code that follows a `goodbye` with `reason`. */
export function closeCodeForGoodbye(reason: GoodbyeReason): CloseCode {
  return CLOSE_CODE_FOR_GOODBYE[reason];
}
