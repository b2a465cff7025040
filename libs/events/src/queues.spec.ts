import { randomUUID } from 'node:crypto';
import { SAMPLE_FLOW_RECORD } from '@meshplane/protocol';
import { describe, expect, it } from 'vitest';
import { isQueuedFlowRecord, TELEMETRY_QUEUE } from './queues.js';

const job = (records: unknown[]) => ({
  tenantId: randomUUID(),
  clusterId: randomUUID(),
  clusterName: 'eu-west-1',
  epoch: 1,
  fromSeq: 42,
  toSeq: 42,
  dropped: 0,
  records,
});

describe('telemetry jobs', () => {
  it('take the records the hub checked, as they come out of Redis', () => {
    const fromRedis = JSON.parse(JSON.stringify(job([SAMPLE_FLOW_RECORD])));
    expect(TELEMETRY_QUEUE.schema.parse(fromRedis).records).toEqual([SAMPLE_FLOW_RECORD]);
  });

  it.each([
    ['no seq', { seq: undefined }],
    ['a fractional seq', { seq: 1.5 }],
    ['a negative counter', { bytesIn: -1 }],
    ['a counter as a string', { packetsOut: '7' }],
    ['an end before the start', { endTime: SAMPLE_FLOW_RECORD.startTime - 1 }],
    ['no destination', { destination: null }],
    ['a source without labels', { source: { ...SAMPLE_FLOW_RECORD.source, labels: undefined } }],
    ['an unknown reporter', { reporter: 'both' }],
    ['policies that are not a list', { policies: {} }],
  ])('refuse a record with %s, naming the record', (_, change) => {
    const record = { ...SAMPLE_FLOW_RECORD, ...change };
    expect(isQueuedFlowRecord(record)).toBe(false);
    const result = TELEMETRY_QUEUE.schema.safeParse(job([SAMPLE_FLOW_RECORD, record]));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['records', 1]);
    expect(result.error?.issues[0]?.message).toContain('flow record');
  });
});
