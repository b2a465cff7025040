import { Redis } from 'ioredis';

export interface RedisOptions {
  url: string;
  /** Namespace for this deployment's keys (tests give each worker its own). */
  prefix: string;
  name: string;
}

/**
 * A Redis connection for commands and BullMQ. `maxRetriesPerRequest: null` is what BullMQ
 * workers require; commands wait for a reconnect instead of failing while Redis restarts.
 */
export function createRedis(options: RedisOptions): Redis {
  return new Redis(options.url, {
    connectionName: `${options.prefix}:${options.name}`,
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    lazyConnect: false,
  });
}

/**
 * The BullMQ prefix for a deployment. The `{…}` hash tag keeps each queue's keys in one slot,
 * as BullMQ needs on Redis Cluster.
 */
export function queuePrefix(prefix: string): string {
  return `{${prefix}}:bull`;
}

/** A pub/sub channel name in the deployment's namespace. */
export function channel(prefix: string, name: string): string {
  return `${prefix}:${name}`;
}
