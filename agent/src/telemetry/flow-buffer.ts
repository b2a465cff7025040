import type { FlowRecord, TelemetryBatchMessage } from '@meshplane/protocol';
import { MAX_FRAME_BYTES } from '@meshplane/protocol';
import { RecordBuffer, type RecordBufferStats } from './record-buffer.js';

/** A flow record before the buffer numbers it. */
export type FlowDraft = Omit<FlowRecord, 'seq'>;

export type FlowBufferStats = RecordBufferStats;

/** The agent's flow buffer: a `RecordBuffer` of flow records answering `telemetry.pull`. */
export class FlowBuffer extends RecordBuffer<FlowRecord> {
  override batch(after: number, max: number, maxFrameBytes = MAX_FRAME_BYTES): TelemetryBatchMessage {
    return { type: 'telemetry.batch', ...super.batch(after, max, maxFrameBytes) };
  }
}
