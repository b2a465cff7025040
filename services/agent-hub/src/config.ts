import { randomBytes } from 'node:crypto';
import { baseConfigShape, portVariable, servicePorts } from '@meshplane/platform';
import { MAX_FRAME_BYTES, MAX_TELEMETRY_BATCH_RECORDS } from '@meshplane/protocol';
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
  /** Base URL of the policies service's internal endpoints (config bundles to push). */
  POLICIES_INTERNAL_URL: z.url().default(`http://127.0.0.1:${servicePorts.policies}`),
  /** A pushed config version not answered within this long is pushed again. */
  CONFIG_PUSH_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(60_000),
  /** Each session's desired config version is looked up at least this often (missed notifications). */
  CONFIG_RECHECK_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(30_000),
  /** Frames above this close the socket (ws answers with close code 1009, "message too big"). */
  AGENT_MAX_FRAME_BYTES: z.coerce.number().int().min(1024).max(MAX_FRAME_BYTES).default(MAX_FRAME_BYTES),
  HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(200).max(60_000).default(5_000),
  /**
   * How often the hub asks the clusters service whether the sessions it holds are still valid
   * (revoked, deleted, superseded), in case a Redis notification was lost.
   */
  SESSION_RECHECK_INTERVAL_MS: z.coerce.number().int().min(200).max(60_000).default(30_000),
  /** A session silent this long is closed (4408) and its cluster shown disconnected. */
  SESSION_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(120_000).default(15_000),
  HELLO_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(10_000),
  /** Objects one snapshot may hold in total (all parts). */
  MAX_SNAPSHOT_OBJECTS: z.coerce.number().int().min(1).default(200_000),
  /** Protocol errors a session may cause per minute before it is closed (4400). */
  MAX_PROTOCOL_ERRORS_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  /** A queued flow batch not stored within this long is not acknowledged (it is pulled again). */
  TELEMETRY_STORE_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(300_000).default(30_000),
  /** Flow records asked for in one `telemetry.pull`. */
  TELEMETRY_PULL_MAX_RECORDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_TELEMETRY_BATCH_RECORDS)
    .default(MAX_TELEMETRY_BATCH_RECORDS),
  /** Pulls awaiting a batch (or queuing one) at once, over all agents of this replica. */
  TELEMETRY_MAX_PULLS_IN_FLIGHT: z.coerce.number().int().min(1).max(10_000).default(64),
  /** An agent that had no records is asked again after this long. */
  TELEMETRY_IDLE_PULL_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
  /** A pull unanswered this long frees its slot (the agent is asked again). */
  TELEMETRY_PULL_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
});

export type AgentHubConfig = z.infer<typeof agentHubConfigSchema>;
