import type { HttpRequestRecord, TelemetryHttpBatchMessage } from '@meshplane/protocol';
import { MAX_FRAME_BYTES } from '@meshplane/protocol';
import { RecordBuffer } from '../record-buffer.js';

/**
 * The agent's HTTP (L7) record buffer: a `RecordBuffer` with its own sequence numbers, answering
 * `telemetry.http.pull`. Bounded like the flow buffer (full: oldest dropped, counted, reported).
 */
export class HttpRequestBuffer extends RecordBuffer<HttpRequestRecord> {
  override batch(after: number, max: number, maxFrameBytes = MAX_FRAME_BYTES): TelemetryHttpBatchMessage {
    return { type: 'telemetry.http.batch', ...super.batch(after, max, maxFrameBytes) };
  }
}
