import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DecodeResult, decodeFrame } from './frame-codec.js';
import { type Direction, isAllowedDirection } from './message-direction.js';
import { MESSAGE_TYPES, MessageSchema } from './messages.js';
import { PROTOCOL_ERROR_CODES } from './protocol.errors.js';
import { SAMPLE_FULL_CONFIG_PUSH, SAMPLE_MESSAGES } from './sample-messages.js';

const direction = fc.constantFrom<Direction>('toHub', 'toAgent');

/** Decodes and checks the contract: no throw; ok means a valid message for that direction. */
function decodeAndCheck(data: Parameters<typeof decodeFrame>[0], towards: Direction): DecodeResult {
  const result = decodeFrame(data, towards);
  if (result.ok) {
    expect(MessageSchema.safeParse(result.message).success).toBe(true);
    expect(isAllowedDirection(result.message.type, towards)).toBe(true);
  } else {
    expect(PROTOCOL_ERROR_CODES).toContain(result.error.code);
    expect(typeof result.error.message).toBe('string');
  }
  return result;
}

/** A sample message with one field, at any depth, replaced by an arbitrary JSON value or removed. */
const mutatedSample = fc
  .record({
    message: fc.constantFrom(...Object.values(SAMPLE_MESSAGES), SAMPLE_FULL_CONFIG_PUSH),
    pick: fc.nat(),
    replacement: fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
  })
  .map(({ message, pick, replacement }) => {
    const copy: unknown = structuredClone(message);
    const slots = containersWithKeys(copy);
    const slot = slots[pick % slots.length];
    if (slot) {
      const [container, key] = slot;
      if (replacement === undefined) delete container[key];
      else container[key] = replacement;
    }
    return copy;
  });

function containersWithKeys(value: unknown): [Record<string, unknown>, string][] {
  if (typeof value !== 'object' || value === null) return [];
  const container = value as Record<string, unknown>;
  return Object.keys(container).flatMap((key) => [
    [container, key] as [Record<string, unknown>, string],
    ...containersWithKeys(container[key]),
  ]);
}

describe('decodeFrame properties', () => {
  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), direction, (text, towards) => {
        decodeAndCheck(text, towards);
      }),
      { numRuns: 2_000 },
    );
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), direction, (bytes, towards) => {
        decodeAndCheck(Buffer.from(bytes), towards);
      }),
      { numRuns: 1_000 },
    );
  });

  it('never throws on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), direction, (value, towards) => {
        decodeAndCheck(JSON.stringify(value), towards);
      }),
      { numRuns: 2_000 },
    );
  });

  it('never throws on objects with a known type and arbitrary fields', () => {
    const object = fc
      .tuple(fc.constantFrom(...MESSAGE_TYPES), fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })))
      .map(([type, fields]) => ({ ...fields, type }));
    fc.assert(
      fc.property(object, direction, (value, towards) => {
        decodeAndCheck(JSON.stringify(value), towards);
      }),
      { numRuns: 2_000 },
    );
  });

  it('never throws on valid messages with one field broken, and accepts only valid ones', () => {
    fc.assert(
      fc.property(mutatedSample, direction, (value, towards) => {
        const result = decodeAndCheck(JSON.stringify(value), towards);
        if (result.ok) expect(MessageSchema.safeParse(value).success).toBe(true);
      }),
      { numRuns: 3_000 },
    );
  });
});
