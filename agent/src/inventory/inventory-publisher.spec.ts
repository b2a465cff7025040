import {
  decodeFrame,
  encodeFrame,
  type InventoryObject,
  MAX_DELTA_CHANGES,
  MAX_SNAPSHOT_PART_OBJECTS,
  type MessageOf,
  type PodObject,
  type ToHubMessage,
} from '@meshplane/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../log.js';
import { type FrameSender, InventoryPublisher } from './inventory-publisher.js';
import { InventoryStore } from './inventory-store.js';

/** Records frames after a real encode/decode round trip, as the hub would see them. */
class RecordingSender implements FrameSender {
  readonly frames: ToHubMessage[] = [];
  constructor(readonly maxFrameBytes = 4 * 1024 * 1024) {}

  send(message: ToHubMessage): boolean {
    const decoded = decodeFrame(encodeFrame(message, { maxFrameBytes: this.maxFrameBytes }), 'toHub');
    if (!decoded.ok) throw new Error(decoded.error.message);
    this.frames.push(decoded.message);
    return true;
  }

  snapshots(): MessageOf<'inventory.snapshot'>[] {
    return this.frames.filter(
      (frame): frame is MessageOf<'inventory.snapshot'> => frame.type === 'inventory.snapshot',
    );
  }

  deltas(): MessageOf<'inventory.delta'>[] {
    return this.frames.filter(
      (frame): frame is MessageOf<'inventory.delta'> => frame.type === 'inventory.delta',
    );
  }
}

function pod(name: string, labels: Record<string, string> = { app: 'web' }): PodObject {
  return {
    kind: 'pod',
    namespace: 'shop',
    name,
    labels,
    ips: ['10.0.0.1'],
    nodeName: 'node-1',
    serviceAccount: 'default',
    ready: true,
    phase: 'Running',
  };
}

const WINDOW_MS = 100;
let store: InventoryStore;
let publisher: InventoryPublisher;

beforeEach(() => {
  vi.useFakeTimers();
  store = new InventoryStore();
  publisher = new InventoryPublisher({ store, windowMs: WINDOW_MS, logger: silentLogger });
});

afterEach(() => {
  publisher.close();
  vi.useRealTimers();
});

describe('snapshot', () => {
  it('splits a large inventory into numbered parts of one snapshot, lastPart only on the last', () => {
    for (let index = 0; index < 1_234; index += 1) store.upsert(pod(`p-${index}`));
    const sender = new RecordingSender();

    publisher.startSession(sender);

    const parts = sender.snapshots();
    expect(parts.map((part) => [part.part, part.lastPart, part.objects.length])).toEqual([
      [0, false, MAX_SNAPSHOT_PART_OBJECTS],
      [1, false, MAX_SNAPSHOT_PART_OBJECTS],
      [2, true, 234],
    ]);
    expect(new Set(parts.map((part) => part.snapshotId)).size).toBe(1);
  });

  it('keeps every part under the frame size the hub announced', () => {
    for (let index = 0; index < 100; index += 1) store.upsert(pod(`p-${index}`, { app: 'x'.repeat(60) }));
    const sender = new RecordingSender(8_192);

    publisher.startSession(sender);

    const parts = sender.snapshots();
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.flatMap((part) => part.objects)).toHaveLength(100);
    for (const part of parts) expect(Buffer.byteLength(JSON.stringify(part))).toBeLessThanOrEqual(8_192);
  });

  it('sends one empty last part for an empty inventory', () => {
    const sender = new RecordingSender();
    publisher.startSession(sender);
    expect(sender.snapshots()).toMatchObject([{ part: 0, lastPart: true, objects: [] }]);
  });
});

describe('deltas', () => {
  it('coalesces the changes of one window into one delta, numbered from 1', () => {
    const sender = new RecordingSender();
    publisher.startSession(sender);

    store.upsert(pod('a'));
    store.upsert(pod('b'));
    store.upsert(pod('a', { app: 'api' }));
    vi.advanceTimersByTime(WINDOW_MS);

    expect(sender.deltas()).toEqual([
      {
        type: 'inventory.delta',
        seq: 1,
        changes: [
          { op: 'upsert', object: pod('a', { app: 'api' }) },
          { op: 'upsert', object: pod('b') },
        ],
      },
    ]);
  });

  it('turns an upsert then a delete of the same key within the window into a delete', () => {
    const sender = new RecordingSender();
    publisher.startSession(sender);

    store.upsert(pod('flap'));
    store.remove({ kind: 'pod', namespace: 'shop', name: 'flap' });
    vi.advanceTimersByTime(WINDOW_MS);

    expect(sender.deltas()[0]?.changes).toEqual([
      { op: 'delete', object: { kind: 'pod', namespace: 'shop', name: 'flap' } },
    ]);
  });

  it('sends nothing before the window ends', () => {
    const sender = new RecordingSender();
    publisher.startSession(sender);
    store.upsert(pod('a'));
    vi.advanceTimersByTime(WINDOW_MS - 1);
    expect(sender.deltas()).toEqual([]);
  });

  it(`splits more than ${MAX_DELTA_CHANGES} changes into consecutive deltas`, () => {
    const sender = new RecordingSender();
    publisher.startSession(sender);

    for (let index = 0; index < MAX_DELTA_CHANGES + 10; index += 1) store.upsert(pod(`p-${index}`));
    vi.advanceTimersByTime(WINDOW_MS);

    expect(sender.deltas().map((delta) => [delta.seq, delta.changes.length])).toEqual([
      [1, MAX_DELTA_CHANGES],
      [2, 10],
    ]);
  });

  it('keeps numbering across a re-snapshot and restarts at 1 in a new session', () => {
    const sender = new RecordingSender();
    publisher.startSession(sender);
    store.upsert(pod('a'));
    vi.advanceTimersByTime(WINDOW_MS);
    publisher.resnapshot();
    store.upsert(pod('b'));
    vi.advanceTimersByTime(WINDOW_MS);
    publisher.endSession();
    const next = new RecordingSender();
    publisher.startSession(next);
    store.upsert(pod('c'));
    vi.advanceTimersByTime(WINDOW_MS);

    expect(sender.deltas().map((delta) => delta.seq)).toEqual([1, 2]);
    expect(next.deltas().map((delta) => delta.seq)).toEqual([1]);
  });

  it('drops pending changes when a snapshot is sent, since the snapshot holds them', () => {
    const sender = new RecordingSender();
    publisher.startSession(sender);
    store.upsert(pod('a'));
    publisher.resnapshot();
    vi.advanceTimersByTime(WINDOW_MS);

    expect(sender.deltas()).toEqual([]);
    expect(sender.snapshots().at(-1)?.objects).toEqual([pod('a')]);
  });

  it('queues nothing while no session is open', () => {
    store.upsert(pod('a'));
    vi.advanceTimersByTime(WINDOW_MS);
    const sender = new RecordingSender();
    publisher.startSession(sender);
    vi.advanceTimersByTime(WINDOW_MS);

    expect(sender.frames.map((frame) => frame.type)).toEqual(['inventory.snapshot']);
  });
});

describe('store', () => {
  it('emits nothing for an upsert that changes nothing the hub sees', () => {
    const changes: unknown[] = [];
    store.onChange((change) => changes.push(change));
    store.upsert(pod('a'));
    store.upsert(pod('a'));
    expect(changes).toHaveLength(1);
  });

  it('drops and counts an object that breaks the protocol schema', () => {
    store.upsert(pod('a'));
    const broken = { ...pod('a'), ips: ['not-an-ip'] } as InventoryObject;
    store.upsert(broken);

    expect(store.invalidObjects).toBe(1);
    expect(store.size).toBe(0);
    expect(store.lastInvalid).toContain('pod/shop/a');
  });
});
