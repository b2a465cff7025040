import { CONFIG, REDIS } from '@meshplane/platform';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { AgentHubConfig } from '../config.js';

/** Raises a cursor, never lowers it (two replicas may race for one cluster across a reconnect). */
const ADVANCE = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local next = tonumber(ARGV[1])
if next > current then redis.call('SET', KEYS[1], ARGV[1]) return next end
return current`;

/** The telemetry streams an agent is pulled for, each with its own sequence numbers. */
export type TelemetryStream = 'flows' | 'http';

/** Redis key of a cluster's telemetry cursor (flows), or of its HTTP record stream's. */
export function telemetryCursorKey(
  prefix: string,
  clusterId: string,
  stream: TelemetryStream = 'flows',
): string {
  return stream === 'flows'
    ? `${prefix}:telemetry-cursor:${clusterId}`
    : `${prefix}:http-telemetry-cursor:${clusterId}`;
}

/**
 * Per cluster, the highest flow sequence number the hub has durably queued (and therefore
 * acknowledged or is about to). It is `welcome.telemetryCursor` and where pulls resume.
 *
 * Kept in Redis by the hub rather than asked of the telemetry service: a batch counts as held
 * once it is on the queue, before any worker stored it, and the queue lives in the same Redis, so
 * the cursor and the jobs it covers share one durability domain. Asking Postgres for the highest
 * *stored* seq would answer too low while batches wait in the queue, and a restarted agent would
 * reuse those numbers — the worker would then drop its new records as duplicates.
 */
@Injectable()
export class TelemetryCursors {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: AgentHubConfig,
  ) {}

  /** The cluster's cursor, 0 when none; undefined when Redis cannot answer. */
  async get(clusterId: string, stream: TelemetryStream = 'flows'): Promise<number | undefined> {
    try {
      const value = await this.redis.get(telemetryCursorKey(this.config.REDIS_PREFIX, clusterId, stream));
      return value === null ? 0 : Number(value);
    } catch {
      return undefined;
    }
  }

  /** Raises the cluster's cursor to `seq` (no-op when it is already higher); returns the cursor. */
  async advance(clusterId: string, seq: number, stream: TelemetryStream = 'flows'): Promise<number> {
    const result = await this.redis.eval(
      ADVANCE,
      1,
      telemetryCursorKey(this.config.REDIS_PREFIX, clusterId, stream),
      String(seq),
    );
    return Number(result);
  }
}
