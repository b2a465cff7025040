import { describe, expect, it } from 'vitest';
import { CLOSE_CODES, closeCodeForGoodbye, closeReason, shouldReconnect } from './close-codes.js';
import { GOODBYE_REASONS } from './messages.js';

describe('close codes', () => {
  it.each([
    [4400, 'protocol_error'],
    [4401, 'unauthenticated'],
    [4403, 'revoked'],
    [4408, 'heartbeat_timeout'],
    [4409, 'superseded'],
    [4413, 'frame_too_large'],
    [4426, 'unsupported_protocol'],
    [4429, 'rate_limited'],
    [1001, 'going_away'],
  ])('names %i %s', (code, reason) => {
    expect(closeReason(code)).toBe(reason);
  });

  it('gives every reason its own code', () => {
    const codes = Object.values(CLOSE_CODES);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('keeps reasons within the 123 bytes a websocket close frame allows', () => {
    for (const code of Object.values(CLOSE_CODES))
      expect(Buffer.byteLength(closeReason(code))).toBeLessThan(123);
  });

  it('says unknown for a code outside the table', () => {
    expect(closeReason(4999)).toBe('unknown');
  });

  it('tells the agent to stop reconnecting only when an operator must act', () => {
    const terminal = Object.values(CLOSE_CODES).filter((code) => !shouldReconnect(code));
    expect(terminal.map(closeReason).sort()).toEqual(['deleted', 'revoked', 'unsupported_protocol']);
    expect(shouldReconnect(1006)).toBe(true);
  });

  it('maps every goodbye reason to a close code with a matching name', () => {
    const expected = {
      revoked: 'revoked',
      shutdown: 'going_away',
      superseded: 'superseded',
      deleted: 'deleted',
      protocol_error: 'protocol_error',
    };
    for (const reason of GOODBYE_REASONS)
      expect(closeReason(closeCodeForGoodbye(reason))).toBe(expected[reason]);
  });
});
