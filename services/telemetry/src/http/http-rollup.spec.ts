import { DDSketch } from '@datadog/sketches-js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HttpEnd, HttpRequestRow } from './http-enricher.js';
import { latencyPercentiles, rollUp, statusClass } from './http-rollup.js';

const end = (workload: string): HttpEnd => ({
  cluster: 'c1',
  namespace: 'shop',
  workload,
  name: `${workload}-0`,
  labels: {},
  ip: '10.0.0.1',
  port: 8080,
});

function row(startTime: number, durationMs: number, responseCode: number, to = 'api'): HttpRequestRow {
  return {
    tenantId: 't',
    clusterId: 'c',
    seq: 1,
    startTime,
    method: 'GET',
    authority: '',
    path: '/',
    responseCode,
    durationMs,
    requestBytes: 0,
    responseBytes: 0,
    protocol: 'http1.1',
    requestId: null,
    upstreamCluster: null,
    source: end('web'),
    destination: end(to),
  };
}

/** The exact quantile DDSketch estimates (lower rank: the value at rank floor(q·(n−1))). */
function exact(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

describe('HTTP rollups', () => {
  it('sums requests per minute and edge by status class', () => {
    const minute = 1_800_000_000_000 - (1_800_000_000_000 % 60_000);
    const rollups = rollUp([
      row(minute + 1, 5, 200),
      row(minute + 59_999, 7, 503),
      row(minute + 60_000, 9, 200),
      row(minute + 2, 11, 0),
      row(minute + 3, 13, 404, 'db'),
    ]);
    expect(rollups.map((r) => [r.minute - minute, r.destination.workload, r.requests, r.byClass])).toEqual([
      [0, 'api', 3, [1, 0, 1, 0, 0, 1]],
      [60_000, 'api', 1, [0, 0, 1, 0, 0, 0]],
      [0, 'db', 1, [0, 0, 0, 0, 1, 0]],
    ]);
    expect(statusClass(99)).toBe(0);
    expect(statusClass(600)).toBe(0);
  });

  it('percentiles of sketches merged across minutes match the exact percentiles within 1 % (not averaged per minute)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 60_000 }), { minLength: 20, maxLength: 400 }),
        (durations) => {
          // Spread over several minutes, each rolled up alone, then merged as the service graph does.
          const rollups = rollUp(durations.map((d, i) => row(i * 7_000, d, 200)));
          expect(rollups.length).toBeGreaterThan(1);
          const merged = new DDSketch({ relativeAccuracy: 0.01 });
          for (const rollup of rollups) merged.merge(DDSketch.fromProto(rollup.latency.toProto()));
          const percentiles = latencyPercentiles(merged)!;
          for (const [q, value] of [
            [0.5, percentiles.p50],
            [0.95, percentiles.p95],
            [0.99, percentiles.p99],
          ] as const) {
            const truth = exact(durations, q);
            expect(Math.abs(value - truth)).toBeLessThanOrEqual(truth * 0.0101);
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});
