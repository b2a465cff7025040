import { PRESENCE_TTL_SECONDS, type Presence, PresenceSchema, presenceKey } from '@meshplane/events';
import { CONFIG, InjectLogger, type Logger, REDIS } from '@meshplane/platform';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { ClustersConfig } from '../config.js';

/** How long a read of presence waits for Redis before answering without it. */
const PRESENCE_READ_TIMEOUT_MS = 1_000;

/**
 * Reads the live presence the agent hub keeps in Redis for each connected cluster. While Redis
 * does not answer, presence is unknown: clusters read as not connected, with the last-seen time
 * and versions Postgres holds, rather than every cluster query waiting for Redis to return.
 */
@Injectable()
export class PresenceService {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: ClustersConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async read(clusterIds: string[]): Promise<Map<string, Presence>> {
    const result = new Map<string, Presence>();
    if (clusterIds.length === 0) return result;
    let timer: NodeJS.Timeout | undefined;
    let values: (string | null)[];
    try {
      values = await Promise.race([
        this.redis.mget(clusterIds.map((id) => presenceKey(this.config.REDIS_PREFIX, id))),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error('Redis did not answer in time')),
            PRESENCE_READ_TIMEOUT_MS,
          );
        }),
      ]);
    } catch (error) {
      this.logger.warn({ err: error }, 'presence unknown: clusters read as not connected');
      return result;
    } finally {
      clearTimeout(timer);
    }
    const freshAfter = Date.now() - PRESENCE_TTL_SECONDS * 1000;
    values.forEach((value, index) => {
      if (!value) return;
      const parsed = PresenceSchema.safeParse(JSON.parse(value));
      if (parsed.success && Date.parse(parsed.data.lastSeenAt) >= freshAfter)
        result.set(clusterIds[index]!, parsed.data);
    });
    return result;
  }
}
