import { DDSketch } from '@datadog/sketches-js';
import type { HttpEnd, HttpRequestRow } from './http-enricher.js';

/** Relative accuracy of the latency sketches: a percentile is within 1 % of the true value. */
export const LATENCY_SKETCH_ACCURACY = 0.01;

/** An edge end as rollups and the service graph key it: cluster ('' when unresolved), namespace, workload. */
export interface RollupEnd {
  cluster: string;
  namespace: string;
  workload: string;
}

/** One minute of one edge: request counts by status class and the latency sketch. */
export interface HttpRollup {
  /** Start of the minute, epoch milliseconds. */
  minute: number;
  source: RollupEnd;
  destination: RollupEnd;
  requests: number;
  /** Requests by status class: index 0 none sent, 1 to 5 for 1xx to 5xx. */
  byClass: [number, number, number, number, number, number];
  latency: DDSketch;
}

function rollupEnd(end: HttpEnd): RollupEnd {
  return { cluster: end.cluster ?? '', namespace: end.namespace, workload: end.workload };
}

/** The key of a rollup (minute and both ends). */
export function rollupKey(rollup: Pick<HttpRollup, 'minute' | 'source' | 'destination'>): string {
  const { source: s, destination: d } = rollup;
  return [rollup.minute, s.cluster, s.namespace, s.workload, d.cluster, d.namespace, d.workload].join(
    '\u0000',
  );
}

/** The status class of a response code: 1 to 5, 0 for no response (or a code outside 100–599). */
export function statusClass(code: number): number {
  const status = Math.floor(code / 100);
  return status >= 1 && status <= 5 ? status : 0;
}

export function emptySketch(): DDSketch {
  return new DDSketch({ relativeAccuracy: LATENCY_SKETCH_ACCURACY });
}

/** Rows summed per minute and edge, each request's duration added to its edge's sketch. */
export function rollUp(rows: readonly HttpRequestRow[]): HttpRollup[] {
  const rollups = new Map<string, HttpRollup>();
  for (const row of rows) {
    const candidate = {
      minute: Math.floor(row.startTime / 60_000) * 60_000,
      source: rollupEnd(row.source),
      destination: rollupEnd(row.destination),
    };
    const key = rollupKey(candidate);
    let rollup = rollups.get(key);
    if (rollup === undefined) {
      rollup = { ...candidate, requests: 0, byClass: [0, 0, 0, 0, 0, 0], latency: emptySketch() };
      rollups.set(key, rollup);
    }
    rollup.requests += 1;
    rollup.byClass[statusClass(row.responseCode)]! += 1;
    rollup.latency.accept(row.durationMs);
  }
  return [...rollups.values()];
}

/** Latency percentiles of a merged sketch, milliseconds; null without requests. */
export function latencyPercentiles(sketch: DDSketch): { p50: number; p95: number; p99: number } | null {
  if (sketch.count === 0) return null;
  return {
    p50: sketch.getValueAtQuantile(0.5),
    p95: sketch.getValueAtQuantile(0.95),
    p99: sketch.getValueAtQuantile(0.99),
  };
}
