/**
 * The closed set of protocol error codes. They travel in `error` frames, so both sides and the
 * hub's metrics speak the same words. The first five are produced by `decodeFrame`; the others
 * are raised by the session logic of the agent or the hub.
 */
export const PROTOCOL_ERROR_CODES = [
  /** The frame is larger than the limit; the receiver closes the socket with 4413. */
  'frame_too_large',
  /** The frame is not UTF-8 JSON. */
  'malformed_json',
  /** The JSON has a `type` this protocol version does not know. */
  'unknown_type',
  /** A known `type` whose fields do not match its schema; the message names the first bad path. */
  'invalid_message',
  /** A known message sent by the wrong side (e.g. an agent sending `config.push`). */
  'wrong_direction',
  /** The message is valid but not now: anything before `hello`/`welcome`, or a second `hello`. */
  'unexpected_message',
  /** No protocol version in common; the hub closes with 4426. */
  'unsupported_protocol',
  /** The credential in `hello` is missing, unknown or expired; the hub closes with 4401. */
  'unauthenticated',
  /** `inventory.delta` skipped a sequence number; the agent answers with a fresh snapshot. */
  'inventory_gap',
  /** A `config.push` older than or equal to what the agent applied; the agent ignores it. */
  'stale_config',
  /** A diff `config.push` whose `baseVersion` is not what the agent holds; the hub sends a full bundle. */
  'config_base_mismatch',
  /** The peer sends faster than allowed; repeated offences close with 4429. */
  'rate_limited',
  /** The receiver failed on its own side; the sender may retry later. */
  'internal',
] as const;

export type ProtocolErrorCode = (typeof PROTOCOL_ERROR_CODES)[number];

/** The codes `decodeFrame` can return. */
export type DecodeErrorCode = Extract<
  ProtocolErrorCode,
  'frame_too_large' | 'malformed_json' | 'unknown_type' | 'invalid_message' | 'wrong_direction'
>;

/** The codes `encodeFrame` can throw. */
export type EncodeErrorCode = Extract<ProtocolErrorCode, 'frame_too_large' | 'invalid_message'>;

/** Why a frame was refused. `ref` is the message `id`, else its `type`, when they could be read. */
export interface ProtocolError<C extends ProtocolErrorCode = ProtocolErrorCode> {
  code: C;
  message: string;
  ref?: string;
}

/**
 * Thrown by `encodeFrame` when the caller built a message that breaks the schema or does not
 * fit in a frame. Either is a bug or a batch to split on the sending side, never peer input.
 */
export class ProtocolEncodeError extends Error {
  constructor(
    readonly code: EncodeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolEncodeError';
  }
}
