import type { Logger } from 'pino';
import type { z } from 'zod';
import { handler, type QueueHandler, type QueueProducer, type QueueSpec } from './queues.js';

type TenantDeletedSpec = QueueSpec<z.ZodType<{ tenantId: string; final?: boolean }>>;

/**
 * The handler of a service's `tenant-deleted-*` queue: removes the deleted tenant's rows (`purge`
 * answers how many), then once more `finalSweepMs` later, for rows that work already under way at
 * the deletion (a compile, a flow batch) wrote after the first pass. Both passes are idempotent.
 */
export function tenantPurgeHandler(
  queue: TenantDeletedSpec,
  options: {
    purge: (tenantId: string) => Promise<number>;
    producer: QueueProducer;
    finalSweepMs: number;
    logger: Logger;
  },
): QueueHandler {
  return handler(
    queue,
    async ({ tenantId, final }) => {
      const removed = await options.purge(tenantId);
      options.logger.info({ tenantId, removed, final: final ?? false }, "removed a deleted tenant's rows");
      if (final) return;
      await options.producer.add(
        queue,
        { tenantId, final: true },
        { delay: options.finalSweepMs, jobId: `${queue.name}-${tenantId}-final` },
      );
    },
    2,
  );
}
