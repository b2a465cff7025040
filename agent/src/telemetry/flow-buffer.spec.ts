import { encodeFrame, TelemetryBatchMessageSchema } from '@meshplane/protocol';
import { describe, expect, it } from 'vitest';
import { FlowBuffer, type FlowDraft } from './flow-buffer.js';

function draft(port = 8080, name = 'frontend'): FlowDraft {
  return {
    startTime: 1_700_000_000,
    endTime: 1_700_000_015,
    source: { name, namespace: 'shop', type: 'wep', labels: { app: name }, ip: '10.1.0.1' },
    destination: {
      name: 'api',
      namespace: 'shop',
      type: 'wep',
      labels: { app: 'api' },
      ip: '10.1.0.2',
      port,
    },
    protocol: 'tcp',
    reporter: 'src',
    action: 'allow',
    policies: [],
    bytesIn: 10,
    bytesOut: 20,
    packetsIn: 1,
    packetsOut: 2,
    connectionsStarted: 1,
    connectionsCompleted: 1,
  };
}

function fill(buffer: FlowBuffer, count: number): void {
  for (let i = 0; i < count; i += 1) buffer.push(draft());
}

const seqs = (batch: { records: { seq: number }[] }) => batch.records.map((record) => record.seq);

describe('FlowBuffer', () => {
  it('numbers records 1, 2, 3, ... and answers a pull with the records after the cursor', () => {
    const buffer = new FlowBuffer(100);
    fill(buffer, 5);
    const batch = buffer.batch(2, 10);
    expect(seqs(batch)).toEqual([3, 4, 5]);
    expect(batch).toMatchObject({ type: 'telemetry.batch', fromSeq: 3, toSeq: 5, dropped: 0 });
    expect(TelemetryBatchMessageSchema.safeParse(batch).success).toBe(true);
  });

  it('answers with at most max records, and with an empty batch (toSeq = fromSeq - 1) when nothing is after the cursor', () => {
    const buffer = new FlowBuffer(100);
    fill(buffer, 5);
    expect(seqs(buffer.batch(0, 2))).toEqual([1, 2]);
    const empty = buffer.batch(5, 10);
    expect(empty).toMatchObject({ fromSeq: 6, toSeq: 5, records: [] });
    expect(TelemetryBatchMessageSchema.safeParse(empty).success).toBe(true);
  });

  it('keeps records until acknowledged, so an unacknowledged batch is sent again', () => {
    const buffer = new FlowBuffer(100);
    fill(buffer, 3);
    const first = buffer.batch(0, 10);
    expect(buffer.batch(0, 10)).toEqual(first);
    buffer.ack(2);
    expect(buffer.size).toBe(1);
    expect(buffer.cursor).toBe(2);
    expect(seqs(buffer.batch(0, 10))).toEqual([3]);
  });

  it('fits a batch in the frame size and the frame encodes within it', () => {
    const buffer = new FlowBuffer(2_000);
    fill(buffer, 1_000);
    const maxFrameBytes = 64 * 1024;
    const batch = buffer.batch(0, 1_000, maxFrameBytes);
    expect(batch.records.length).toBeGreaterThan(10);
    expect(batch.records.length).toBeLessThan(1_000);
    expect(Buffer.byteLength(encodeFrame(batch, { maxFrameBytes }))).toBeLessThanOrEqual(maxFrameBytes);
    // The next pull continues exactly where this one stopped.
    expect(buffer.batch(batch.toSeq, 1_000, maxFrameBytes).fromSeq).toBe(batch.toSeq + 1);
  });

  it('is bounded: when full it drops the oldest records and counts them until a batch reporting them is acknowledged', () => {
    const buffer = new FlowBuffer(10);
    fill(buffer, 25);
    expect(buffer.size).toBe(10);
    expect(buffer.stats).toMatchObject({ dropped: 15, lastSeq: 25, buffered: 10 });
    const batch = buffer.batch(0, 100);
    expect(seqs(batch)).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
    expect(batch.dropped).toBe(15);
    // Not acknowledged: the report is repeated.
    expect(buffer.batch(0, 100).dropped).toBe(15);
    buffer.ack(25);
    fill(buffer, 12);
    const next = buffer.batch(25, 100);
    expect(next.dropped).toBe(2);
    expect(seqs(next)[0]).toBe(28);
  });

  it('continues numbering above the hub cursor after a restart (own numbering at or below it)', () => {
    const buffer = new FlowBuffer(100);
    fill(buffer, 3);
    buffer.resume(500);
    expect(seqs(buffer.batch(500, 10))).toEqual([501, 502, 503]);
    expect(buffer.cursor).toBe(500);
    buffer.push(draft());
    expect(buffer.stats.lastSeq).toBe(504);
  });

  it('frees records the hub already holds when its own numbering is above the hub cursor', () => {
    const buffer = new FlowBuffer(100);
    fill(buffer, 10);
    buffer.resume(6);
    expect(buffer.cursor).toBe(6);
    expect(seqs(buffer.batch(0, 100))).toEqual([7, 8, 9, 10]);
    buffer.resume(undefined);
    expect(buffer.size).toBe(4);
  });

  it('never goes backwards on a stale ack and frees memory as records are acknowledged', () => {
    const buffer = new FlowBuffer(10_000);
    fill(buffer, 5_000);
    buffer.ack(4_000);
    buffer.ack(10);
    expect(buffer.cursor).toBe(4_000);
    expect(buffer.size).toBe(1_000);
    expect(seqs(buffer.batch(0, 3))).toEqual([4_001, 4_002, 4_003]);
  });
});
