import { randomUUID } from 'node:crypto';
import {
  type InventoryChange,
  type InventoryObject,
  type InventoryRef,
  inventoryKey,
  MAX_DELTA_CHANGES,
  MAX_SNAPSHOT_PART_OBJECTS,
  MAX_SNAPSHOT_PARTS,
  type ToHubMessage,
} from '@meshplane/protocol';
import type { Logger } from '../log.js';
import { splitIntoBatches } from './frame-batches.js';
import type { InventoryStore } from './inventory-store.js';

/** Where the publisher sends frames: the current hub session. */
export interface FrameSender {
  /** Encodes and sends; `false` when the message could not be sent (socket gone, too large). */
  send(message: ToHubMessage): boolean;
  /** The hub's `welcome.maxFrameBytes`. */
  readonly maxFrameBytes: number;
}

export interface SnapshotSentInfo {
  snapshotId: string;
  parts: number;
  objects: number;
}

export interface DeltaSentInfo {
  seq: number;
  changes: number;
}

export interface InventoryPublisherOptions {
  store: InventoryStore;
  /** Changes are coalesced over this window before a delta goes out. */
  windowMs: number;
  logger: Logger;
  onSnapshotSent?: (info: SnapshotSentInfo) => void;
  onDeltaSent?: (info: DeltaSentInfo) => void;
}

/** Room left in a frame for everything around the object or change list. */
const ENVELOPE_BYTES = 1_024;
/** `{"op":"upsert","object":}` around an object. */
const CHANGE_OVERHEAD_BYTES = 32;

/**
 * Turns the store's contents and changes into the protocol's inventory frames for one session
 * at a time: a snapshot in parts when the session starts (and whenever the hub reports a gap),
 * then deltas numbered from 1, each coalescing the changes of one window so a pod that flaps
 * costs one change, not many. Nothing is queued while no session is open: the next session
 * starts with a fresh snapshot anyway.
 */
export class InventoryPublisher {
  private sender: FrameSender | undefined;
  private seq = 0;
  private readonly pending = new Map<string, InventoryChange>();
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: InventoryPublisherOptions) {
    this.unsubscribe = options.store.onChange((change) => this.record(change));
  }

  /** A session was welcomed: numbering restarts at 1 after a full snapshot. */
  startSession(sender: FrameSender): void {
    this.sender = sender;
    this.seq = 0;
    this.sendSnapshot();
  }

  /** The hub lost track (`inventory_gap`): send everything again; numbering continues. */
  resnapshot(): void {
    if (this.sender !== undefined) this.sendSnapshot();
  }

  endSession(): void {
    this.sender = undefined;
    this.discardPending();
  }

  close(): void {
    this.endSession();
    this.unsubscribe();
  }

  /** Sends the pending changes now instead of at the end of the window. */
  flush(): void {
    this.flushTimer = undefined;
    const sender = this.sender;
    if (sender === undefined || this.pending.size === 0) return;
    const changes = [...this.pending.values()];
    this.pending.clear();
    const { batches, oversized } = splitIntoBatches(
      changes,
      { maxItems: MAX_DELTA_CHANGES, maxBytes: sender.maxFrameBytes, overheadBytes: ENVELOPE_BYTES },
      (change) => Buffer.byteLength(JSON.stringify(change.object), 'utf8') + CHANGE_OVERHEAD_BYTES,
    );
    this.warnOversized(oversized.map((change) => change.object));
    for (const batch of batches) {
      const seq = this.seq + 1;
      if (!sender.send({ type: 'inventory.delta', seq, changes: batch })) return;
      this.seq = seq;
      this.options.onDeltaSent?.({ seq, changes: batch.length });
    }
  }

  private record(change: InventoryChange): void {
    if (this.sender === undefined) return;
    // The latest change of a key wins: upsert then delete is a delete, delete then upsert an upsert.
    this.pending.set(inventoryKey(change.object), change);
    this.flushTimer ??= setTimeout(() => this.flush(), this.options.windowMs);
  }

  private sendSnapshot(): void {
    const sender = this.sender;
    if (sender === undefined) return;
    // The snapshot holds every change so far, so pending ones are already in it.
    this.discardPending();
    const { store } = this.options;
    const objects = store.list();
    const { batches, oversized } = splitIntoBatches(
      objects,
      { maxItems: MAX_SNAPSHOT_PART_OBJECTS, maxBytes: sender.maxFrameBytes, overheadBytes: ENVELOPE_BYTES },
      (object) => store.sizeOf(inventoryKey(object)),
    );
    this.warnOversized(oversized);
    if (batches.length === 0) batches.push([]);
    if (batches.length > MAX_SNAPSHOT_PARTS) {
      this.options.logger.error('inventory too large for one snapshot; sending the first parts only', {
        parts: batches.length,
      });
      batches.length = MAX_SNAPSHOT_PARTS;
    }
    const snapshotId = randomUUID();
    for (const [part, batch] of batches.entries()) {
      const lastPart = part === batches.length - 1;
      if (!sender.send({ type: 'inventory.snapshot', snapshotId, part, lastPart, objects: batch })) return;
    }
    const sent = batches.reduce((total, batch) => total + batch.length, 0);
    this.options.logger.info('inventory snapshot sent', { snapshotId, parts: batches.length, objects: sent });
    this.options.onSnapshotSent?.({ snapshotId, parts: batches.length, objects: sent });
  }

  private discardPending(): void {
    this.pending.clear();
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
  }

  private warnOversized(objects: readonly (InventoryObject | InventoryRef)[]): void {
    for (const object of objects) {
      this.options.logger.warn('inventory object too large for a frame; not sent', {
        object: inventoryKey(object),
      });
    }
  }
}
