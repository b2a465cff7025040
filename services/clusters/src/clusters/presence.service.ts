import { PRESENCE_TTL_SECONDS, type Presence, PresenceSchema, presenceKey } from '@meshplane/events';
import { CONFIG, REDIS } from '@meshplane/platform';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { ClustersConfig } from '../config.js';

/** Reads the live presence the agent hub keeps in Redis for each connected cluster. */
@Injectable()
export class PresenceService {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: ClustersConfig,
  ) {}

  async read(clusterIds: string[]): Promise<Map<string, Presence>> {
    const result = new Map<string, Presence>();
    if (clusterIds.length === 0) return result;
    const values = await this.redis.mget(clusterIds.map((id) => presenceKey(this.config.REDIS_PREFIX, id)));
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
