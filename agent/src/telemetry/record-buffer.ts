import { MAX_FRAME_BYTES, MAX_TELEMETRY_BATCH_RECORDS } from '@meshplane/protocol';

/** What a buffer holds: records numbered by the buffer. */
export interface Sequenced {
  seq: number;
}

/** The answer to a pull: records in `[fromSeq, toSeq]` and the drops not yet reported. */
export interface RecordBatch<R> {
  fromSeq: number;
  toSeq: number;
  records: R[];
  dropped: number;
}

export interface RecordBufferStats {
  /** Records held (not yet acknowledged). */
  buffered: number;
  /** Highest sequence number assigned so far. */
  lastSeq: number;
  /** Highest sequence number the hub acknowledged (records up to it are freed). */
  ackedSeq: number;
  /** Records numbered since the agent started. */
  recorded: number;
  /** Records dropped because the buffer was full (oldest first), since the agent started. */
  dropped: number;
  batchesSent: number;
  recordsSent: number;
}

interface Held<R> {
  record: R;
  /** Encoded size of the record with its separating comma, for fitting a frame. */
  bytes: number;
}

/** Room kept in a frame for the batch's own fields (`type`, `fromSeq`, `toSeq`, `dropped`, ...). */
const FRAME_OVERHEAD_BYTES = 256;

/**
 * The agent's bounded telemetry buffer (DESIGN.md §3), for flow records and for HTTP records alike: every record gets the next sequence number and
 * is kept until the hub acknowledges it, so a batch lost on the wire is simply sent again. When
 * full, the oldest record is dropped and counted; the count travels in the next batches until
 * one of them is acknowledged. Memory never grows past `capacity` records.
 *
 * Sequence numbers never go backwards for a cluster: on `welcome`, a buffer whose numbering is at
 * or below the hub's cursor (the agent restarted and lost its buffer) renumbers what it holds and
 * continues above the cursor; otherwise records at or below the cursor are already stored and
 * are freed.
 */
export class RecordBuffer<R extends Sequenced> {
  private held: Held<R>[] = [];
  /** Index of the oldest held record in `held` (the array is compacted lazily). */
  private head = 0;
  private lastSeq = 0;
  private ackedSeq = 0;
  private recorded = 0;
  private dropped = 0;
  /** Drops the hub has acknowledged receiving a report of. */
  private droppedAcknowledged = 0;
  /** The latest batch that carried a drop report: acknowledged once `upToSeq >= toSeq`. */
  private dropReport: { toSeq: number; total: number } | undefined;
  private batchesSent = 0;
  private recordsSent = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
  }

  get size(): number {
    return this.held.length - this.head;
  }

  /** The telemetry cursor for `hello`: the highest sequence number the hub acknowledged. */
  get cursor(): number {
    return this.ackedSeq;
  }

  get stats(): RecordBufferStats {
    return {
      buffered: this.size,
      lastSeq: this.lastSeq,
      ackedSeq: this.ackedSeq,
      recorded: this.recorded,
      dropped: this.dropped,
      batchesSent: this.batchesSent,
      recordsSent: this.recordsSent,
    };
  }

  /** Numbers a record and keeps it; drops the oldest when full. Returns the numbered record. */
  push(draft: Omit<R, 'seq'>): R {
    if (this.size >= this.capacity) {
      this.head += 1;
      this.dropped += 1;
      this.compact();
    }
    this.lastSeq += 1;
    this.recorded += 1;
    const record = { seq: this.lastSeq, ...draft } as R;
    this.held.push({ record, bytes: Buffer.byteLength(JSON.stringify(record)) + 1 });
    return record;
  }

  /**
   * The answer to a pull `{after, max}`: records with `seq > after`, ascending, at most
   * `max` and no more than fit in a frame of `maxFrameBytes`. Always at least one record when
   * any is held after the cursor (a single record always fits: records are far below a frame).
   */
  batch(after: number, max: number, maxFrameBytes = MAX_FRAME_BYTES): RecordBatch<R> {
    const limit = Math.min(max, MAX_TELEMETRY_BATCH_RECORDS);
    const budget = maxFrameBytes - FRAME_OVERHEAD_BYTES;
    const records: R[] = [];
    let bytes = 0;
    for (let index = this.firstAfter(after); index < this.held.length && records.length < limit; index += 1) {
      const held = this.held[index]!;
      if (records.length > 0 && bytes + held.bytes > budget) break;
      records.push(held.record);
      bytes += held.bytes;
    }
    const unreported = this.dropped - this.droppedAcknowledged;
    const fromSeq = after + 1;
    const toSeq = records.length === 0 ? after : records[records.length - 1]!.seq;
    if (unreported > 0) this.dropReport = { toSeq, total: this.dropped };
    this.batchesSent += 1;
    this.recordsSent += records.length;
    return { fromSeq, toSeq, records, dropped: unreported };
  }

  /** An ack `{upToSeq}`: frees every record at or below it. */
  ack(upToSeq: number): void {
    if (this.dropReport !== undefined && upToSeq >= this.dropReport.toSeq) {
      this.droppedAcknowledged = Math.max(this.droppedAcknowledged, this.dropReport.total);
      this.dropReport = undefined;
    }
    if (upToSeq <= this.ackedSeq) return;
    this.ackedSeq = Math.min(upToSeq, this.lastSeq);
    this.head = this.firstAfter(this.ackedSeq);
    this.compact();
  }

  /**
   * Applies `welcome.telemetryCursor` (the highest sequence number the hub holds for the cluster):
   * continues numbering above it when this buffer's numbering is at or below it, else frees what
   * the hub already holds.
   */
  resume(hubCursor: number | undefined): void {
    if (hubCursor === undefined) return;
    if (this.lastSeq <= hubCursor) {
      let seq = hubCursor;
      for (let index = this.head; index < this.held.length; index += 1) {
        seq += 1;
        const held = this.held[index]!;
        held.record = { ...held.record, seq };
        held.bytes = Buffer.byteLength(JSON.stringify(held.record)) + 1;
      }
      this.lastSeq = seq;
      this.ackedSeq = hubCursor;
      this.dropReport = undefined;
      return;
    }
    this.ack(hubCursor);
  }

  /** Index of the first held record with `seq > after` (records are in ascending seq). */
  private firstAfter(after: number): number {
    let low = this.head;
    let high = this.held.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.held[middle]!.record.seq <= after) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Drops freed slots once they are half the array, so freeing costs amortised O(1). */
  private compact(): void {
    if (this.head > 1_024 && this.head * 2 >= this.held.length) {
      this.held = this.held.slice(this.head);
      this.head = 0;
    }
  }
}
