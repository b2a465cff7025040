import { randomBytes } from 'node:crypto';
import { baseConfigShape, portVariable, servicePorts } from '@meshplane/platform';
import { MAX_FRAME_BYTES } from '@meshplane/protocol';
import { z } from 'zod';

export const agentHubConfigSchema = z.object({
  ...baseConfigShape,
  AGENT_HUB_PORT: portVariable(servicePorts['agent-hub']),
  /** This replica's name in presence records (defaults to a random one per process). */
  HUB_ID: z
    .string()
    .min(1)
    .max(64)
    .default(`hub-${randomBytes(4).toString('hex')}`),
  /** Base URL of the clusters service's internal endpoints. */
  CLUSTERS_INTERNAL_URL: z.url().default(`http://127.0.0.1:${servicePorts.clusters}`),
  /** Frames above this close the socket (ws answers with close code 1009, "message too big"). */
  AGENT_MAX_FRAME_BYTES: z.coerce.number().int().min(1024).max(MAX_FRAME_BYTES).default(MAX_FRAME_BYTES),
  HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(200).max(60_000).default(5_000),
  /** A session silent this long is closed (4408) and its cluster shown disconnected. */
  SESSION_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(120_000).default(15_000),
  HELLO_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(10_000),
  /** Objects one snapshot may hold in total (all parts). */
  MAX_SNAPSHOT_OBJECTS: z.coerce.number().int().min(1).default(200_000),
  /** Protocol errors a session may cause per minute before it is closed (4400). */
  MAX_PROTOCOL_ERRORS_PER_MINUTE: z.coerce.number().int().min(1).default(60),
});

export type AgentHubConfig = z.infer<typeof agentHubConfigSchema>;
