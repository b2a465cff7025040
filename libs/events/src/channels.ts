import { ConfigObjectRefSchema, ConfigObjectSchema } from '@meshplane/protocol';
import { z } from 'zod';

/** Redis pub/sub notifications: ephemeral, for things that must happen now on every replica. */
export interface ChannelDefinition<S extends z.ZodType> {
  name: string;
  schema: S;
}

/** A cluster's credentials stopped being valid: every hub replica closes its session now. */
export const CLUSTER_REVOKED_CHANNEL = {
  name: 'cluster-revoked',
  schema: z.object({ clusterId: z.uuid(), reason: z.enum(['revoked', 'deleted']) }),
} satisfies ChannelDefinition<z.ZodType>;

/**
 * Clusters have new desired config versions (one message per compile, however many clusters it
 * reached): each hub replica pushes to the sessions it holds.
 */
export const CONFIG_PUBLISHED_CHANNEL = {
  name: 'config-published',
  schema: z.object({
    versions: z.array(
      z.object({
        clusterId: z.uuid(),
        version: z.number().int().positive(),
        /** With `diff`: the version the diff applies to (the cluster's previous version). */
        baseVersion: z.number().int().positive().optional(),
        /** Key into `diffs`: the change from `baseVersion`, announced so a hub need not ask for it. */
        diff: z.string().optional(),
      }),
    ),
    /** Diffs by key (clusters that got the same change share one). */
    diffs: z
      .record(
        z.string(),
        z.object({ upserts: z.array(ConfigObjectSchema), deletes: z.array(ConfigObjectRefSchema) }),
      )
      .default({}),
  }),
} satisfies ChannelDefinition<z.ZodType>;

/**
 * The clusters worker has waited too long for an inventory job that may be lost (e.g. with a
 * Redis restart): the hub holding that session of the cluster asks its agent for a new snapshot.
 */
export const INVENTORY_RESYNC_CHANNEL = {
  name: 'inventory-resync',
  schema: z.object({ clusterId: z.uuid(), epoch: z.number().int().positive() }),
} satisfies ChannelDefinition<z.ZodType>;

/** A hub accepted a session; replicas holding an older session of the same cluster close it. */
export const SESSION_CLAIMED_CHANNEL = {
  name: 'session-claimed',
  schema: z.object({
    clusterId: z.uuid(),
    sessionId: z.string(),
    hubId: z.string(),
    epoch: z.number().int(),
  }),
} satisfies ChannelDefinition<z.ZodType>;

/** Redis key holding a connected cluster's live presence (written by the hub holding its socket). */
export function presenceKey(prefix: string, clusterId: string): string {
  return `${prefix}:presence:${clusterId}`;
}

export const PresenceSchema = z.object({
  hubId: z.string(),
  sessionId: z.string(),
  epoch: z.number().int(),
  connectedAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  agentVersion: z.string().optional(),
  kubernetesVersion: z.string().optional(),
  nodeCount: z.number().int().optional(),
  calicoVersion: z.string().optional(),
  calicoKinds: z.array(z.string()).optional(),
});

export type Presence = z.infer<typeof PresenceSchema>;

/** Presence lives this long without a refresh: a hub that dies takes its clusters offline within it. */
export const PRESENCE_TTL_SECONDS = 15;
