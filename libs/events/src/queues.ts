import { InventoryChangeSchema, InventoryObjectSchema } from '@meshplane/protocol';
import { z } from 'zod';

/**
 * Every BullMQ queue between services, with the schema of its jobs. Producers and consumers
 * import the same definition, so a job's shape is checked on both ends.
 */
export interface QueueDefinition<S extends z.ZodType> {
  name: string;
  schema: S;
  /** Which service consumes it (exactly one handler per queue). */
  consumer: string;
}

function queue<S extends z.ZodType>(name: string, consumer: string, schema: S): QueueDefinition<S> {
  return { name, consumer, schema };
}

const Ids = { tenantId: z.uuid(), clusterId: z.uuid() };

/**
 * agent-hub → clusters: an agent's inventory. `epoch` orders sessions of one cluster (it grows by
 * one at every accepted hello); `seq`, assigned by the hub, orders the jobs of one session (a
 * session's first job is its snapshot, seq 1; a later snapshot replaces everything before it).
 */
export const INVENTORY_QUEUE = queue(
  'inventory',
  'clusters',
  z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('snapshot'),
      ...Ids,
      epoch: z.number().int().positive(),
      seq: z.number().int().positive(),
      objects: z.array(InventoryObjectSchema),
    }),
    z.object({
      kind: z.literal('delta'),
      ...Ids,
      epoch: z.number().int().positive(),
      seq: z.number().int().positive(),
      changes: z.array(InventoryChangeSchema),
    }),
  ]),
);

/** agent-hub → clusters: a session started or ended (persisted status and history). */
export const AGENT_STATUS_QUEUE = queue(
  'agent-status',
  'clusters',
  z.object({
    ...Ids,
    epoch: z.number().int().positive(),
    event: z.enum(['connected', 'disconnected']),
    at: z.iso.datetime(),
    agentVersion: z.string().max(64).optional(),
    kubernetesVersion: z.string().max(64).optional(),
    nodeCount: z.number().int().min(0).optional(),
    reason: z.string().max(256).optional(),
  }),
);

/** clusters → policies (and anyone else): what changed in a cluster's inventory. */
export const INVENTORY_CHANGED_QUEUE = queue(
  'inventory-changed',
  'policies',
  z.object({
    ...Ids,
    epoch: z.number().int().positive(),
    /** `kind/namespace/name` keys upserted and deleted; `replaced` for a whole snapshot. */
    upserted: z.array(z.string()),
    deleted: z.array(z.string()),
    replaced: z.boolean(),
  }),
);

export type InventoryJob = z.infer<typeof INVENTORY_QUEUE.schema>;
export type AgentStatusJob = z.infer<typeof AGENT_STATUS_QUEUE.schema>;
export type InventoryChangedJob = z.infer<typeof INVENTORY_CHANGED_QUEUE.schema>;
