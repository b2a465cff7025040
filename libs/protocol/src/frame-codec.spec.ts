import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, validateMessage } from './frame-codec.js';
import { type Direction, isAllowedDirection, MESSAGE_DIRECTIONS } from './message-direction.js';
import { MESSAGE_TYPES, type Message } from './messages.js';
import { type DecodeErrorCode, ProtocolEncodeError } from './protocol.errors.js';
import { MAX_FRAME_BYTES } from './protocol.limits.js';
import { SAMPLE_FULL_CONFIG_PUSH, SAMPLE_MESSAGES } from './sample-messages.js';

const ALL_SAMPLES: Message[] = [...Object.values(SAMPLE_MESSAGES), SAMPLE_FULL_CONFIG_PUSH];

function directionOf(message: Message): Direction {
  return MESSAGE_DIRECTIONS[message.type][0];
}

function errorOf(result: ReturnType<typeof decodeFrame>) {
  if (result.ok) throw new Error(`expected a decode error, got ${result.message.type}`);
  return result.error;
}

/** A valid ping frame padded with JSON whitespace to exactly `bytes` bytes. */
function pingFrameOf(bytes: number): string {
  const frame = encodeFrame(SAMPLE_MESSAGES.ping);
  return frame + ' '.repeat(bytes - Buffer.byteLength(frame));
}

describe('encodeFrame → decodeFrame round trip', () => {
  it.each(
    ALL_SAMPLES.map((message) => [
      `${message.type}${'mode' in message ? ` (${message.mode})` : ''}`,
      message,
    ]),
  )('%s comes back equal', (_name, message) => {
    const result = decodeFrame(encodeFrame(message), directionOf(message));
    expect(result).toEqual({ ok: true, message });
  });

  it('covers every message type', () => {
    expect(new Set(ALL_SAMPLES.map((message) => message.type))).toEqual(new Set(MESSAGE_TYPES));
  });

  it('decodes Buffer, ArrayBuffer and fragmented Buffer[] frames like strings', () => {
    const frame = encodeFrame(SAMPLE_MESSAGES.hello);
    const bytes = Buffer.from(frame);
    const arrayBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const fragments = [bytes.subarray(0, 10), bytes.subarray(10, 11), bytes.subarray(11)];
    for (const data of [bytes, arrayBuffer, fragments]) {
      expect(decodeFrame(data, 'toHub')).toEqual({ ok: true, message: SAMPLE_MESSAGES.hello });
    }
  });

  it('ignores unknown fields, so a newer peer may add optional ones', () => {
    const frame = JSON.stringify({ ...SAMPLE_MESSAGES.ping, addedInAFutureVersion: { x: 1 } });
    expect(decodeFrame(frame, 'toHub')).toEqual({ ok: true, message: SAMPLE_MESSAGES.ping });
  });
});

describe('decodeFrame errors', () => {
  const cases: [DecodeErrorCode, string, Direction, FrameDataCase][] = [
    ['frame_too_large', 'a frame one byte over the limit', 'toHub', () => pingFrameOf(MAX_FRAME_BYTES + 1)],
    ['malformed_json', 'text that is not JSON', 'toHub', () => '{"type": "ping",'],
    ['malformed_json', 'bytes that are not UTF-8', 'toHub', () => Buffer.from([0x7b, 0xff, 0xfe, 0x7d])],
    ['unknown_type', 'a type this version does not know', 'toHub', () => '{"type":"inventory.resync"}'],
    [
      'invalid_message',
      'a known type with a bad field',
      'toHub',
      () => '{"type":"ping","nonce":7,"sentAt":1}',
    ],
    ['invalid_message', 'a JSON value that is not an object', 'toHub', () => '[{"type":"ping"}]'],
    ['invalid_message', 'an object without a type', 'toHub', () => '{"nonce":"n"}'],
    ['wrong_direction', 'config.push sent by an agent', 'toHub', () => encodeFrame(SAMPLE_FULL_CONFIG_PUSH)],
    ['wrong_direction', 'hello sent by the hub', 'toAgent', () => encodeFrame(SAMPLE_MESSAGES.hello)],
  ];

  it.each(cases)('%s for %s', (code, _why, direction, frame) => {
    expect(errorOf(decodeFrame(frame(), direction)).code).toBe(code);
  });

  it('has a case for every decode error code', () => {
    const codes: Record<DecodeErrorCode, true> = {
      frame_too_large: true,
      malformed_json: true,
      unknown_type: true,
      invalid_message: true,
      wrong_direction: true,
    };
    expect(new Set(cases.map(([code]) => code))).toEqual(new Set(Object.keys(codes)));
  });

  it('names the first offending path in invalid_message', () => {
    const hello = { ...SAMPLE_MESSAGES.hello, agent: { capabilities: [] } };
    expect(errorOf(decodeFrame(JSON.stringify(hello), 'toHub')).message).toBe(
      'hello.agent.version: expected string',
    );
  });

  it('names array indexes and label keys in the path', () => {
    const pod = {
      ...SAMPLE_MESSAGES['inventory.snapshot'].objects[1],
      labels: { 'app.kubernetes.io/name': 'x'.repeat(64) },
    };
    const snapshot = {
      ...SAMPLE_MESSAGES['inventory.snapshot'],
      objects: [{ kind: 'namespace', name: 'a', labels: {} }, pod],
    };
    expect(errorOf(decodeFrame(JSON.stringify(snapshot), 'toHub')).message).toMatch(
      /^inventory\.snapshot\.objects\[1\]\.labels\["app\.kubernetes\.io\/name"\]: /,
    );
  });

  it('refers to the offending message by id, else by type', () => {
    const withId = { type: 'ping', id: 'abc', nonce: 5 };
    const withoutId = { type: 'ping', nonce: 5 };
    expect(errorOf(decodeFrame(JSON.stringify(withId), 'toHub')).ref).toBe('abc');
    expect(errorOf(decodeFrame(JSON.stringify(withoutId), 'toHub')).ref).toBe('ping');
  });

  it('keeps error text short enough for an error frame even for huge bad input', () => {
    const error = errorOf(decodeFrame(JSON.stringify({ type: 'x'.repeat(100_000) }), 'toHub'));
    expect(error.message.length).toBeLessThanOrEqual(512);
    expect(error.ref?.length).toBeLessThanOrEqual(64);
  });
});

type FrameDataCase = () => Parameters<typeof decodeFrame>[0];

describe('frame size limit', () => {
  it('accepts a frame of exactly MAX_FRAME_BYTES bytes', () => {
    const frame = pingFrameOf(MAX_FRAME_BYTES);
    expect(Buffer.byteLength(frame)).toBe(MAX_FRAME_BYTES);
    expect(decodeFrame(frame, 'toHub').ok).toBe(true);
    expect(decodeFrame(Buffer.from(frame), 'toHub').ok).toBe(true);
  });

  it('rejects one byte more, whatever the frame representation', () => {
    const bytes = Buffer.from(pingFrameOf(MAX_FRAME_BYTES + 1));
    const arrayBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const fragments = [bytes.subarray(0, 1000), bytes.subarray(1000)];
    for (const data of [bytes, arrayBuffer, fragments]) {
      expect(errorOf(decodeFrame(data, 'toHub')).code).toBe('frame_too_large');
    }
  });

  it('counts UTF-8 bytes, not UTF-16 code units', () => {
    // 'é' is one code unit but two bytes: this string is short in JS and too large on the wire.
    const frame = JSON.stringify({ ...SAMPLE_MESSAGES.error, message: 'é'.repeat(600) });
    expect(frame.length).toBeLessThan(1000);
    expect(errorOf(decodeFrame(frame, 'toHub', { maxFrameBytes: 1000 })).code).toBe('frame_too_large');
  });

  it('applies a smaller limit announced in welcome', () => {
    const frame = pingFrameOf(2048);
    expect(decodeFrame(frame, 'toHub', { maxFrameBytes: 2048 }).ok).toBe(true);
    expect(errorOf(decodeFrame(frame, 'toHub', { maxFrameBytes: 2047 })).code).toBe('frame_too_large');
  });
});

describe('direction rules', () => {
  const directions: Direction[] = ['toHub', 'toAgent'];
  const expected: Record<string, Direction[]> = {
    hello: ['toHub'],
    welcome: ['toAgent'],
    ping: ['toHub', 'toAgent'],
    pong: ['toHub', 'toAgent'],
    'inventory.snapshot': ['toHub'],
    'inventory.delta': ['toHub'],
    'config.push': ['toAgent'],
    'config.result': ['toHub'],
    'telemetry.pull': ['toAgent'],
    'telemetry.batch': ['toHub'],
    'telemetry.ack': ['toAgent'],
    'telemetry.http.pull': ['toAgent'],
    'telemetry.http.batch': ['toHub'],
    'telemetry.http.ack': ['toAgent'],
    error: ['toHub', 'toAgent'],
    goodbye: ['toHub', 'toAgent'],
  };

  it.each(
    ALL_SAMPLES.flatMap((message) =>
      directions.map((direction) => [message.type, direction, message] as const),
    ),
  )('%s %s', (type, direction, message) => {
    const allowed = expected[type]!.includes(direction);
    expect(isAllowedDirection(type, direction)).toBe(allowed);
    const result = decodeFrame(encodeFrame(message), direction);
    expect(result.ok ? 'ok' : result.error.code).toBe(allowed ? 'ok' : 'wrong_direction');
  });
});

describe('validateMessage', () => {
  it('validates an already parsed value like a frame', () => {
    expect(validateMessage(SAMPLE_MESSAGES.welcome, 'toAgent')).toEqual({
      ok: true,
      message: SAMPLE_MESSAGES.welcome,
    });
    expect(validateMessage(null, 'toAgent')).toMatchObject({ ok: false, error: { code: 'invalid_message' } });
  });
});

describe('encodeFrame', () => {
  it('throws invalid_message naming the path for a message that breaks its schema', () => {
    const bad = { ...SAMPLE_MESSAGES['telemetry.pull'], max: 0 };
    expect(() => encodeFrame(bad)).toThrow(ProtocolEncodeError);
    expect(() => encodeFrame(bad)).toThrow(/^telemetry\.pull\.max: /);
  });

  it('throws frame_too_large when the encoded message does not fit', () => {
    const error = (() => {
      try {
        encodeFrame(SAMPLE_MESSAGES.hello, { maxFrameBytes: 100 });
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(ProtocolEncodeError);
    expect((error as ProtocolEncodeError).code).toBe('frame_too_large');
  });

  it('leaves fields outside the schema out of the frame', () => {
    const withExtra = { ...SAMPLE_MESSAGES.ping, secret: 'do-not-send' } as Message;
    expect(encodeFrame(withExtra)).not.toContain('do-not-send');
  });

  it('keeps the free-form parts of config objects', () => {
    const frame = encodeFrame(SAMPLE_FULL_CONFIG_PUSH);
    expect(JSON.parse(frame).objects[0].spec).toEqual({ nets: ['10.245.1.17/32'] });
  });
});
