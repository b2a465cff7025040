import { baseConfigShape, portVariable, servicePorts } from '@meshplane/platform';
import { z } from 'zod';

export const agentHubConfigSchema = z.object({
  ...baseConfigShape,
  AGENT_HUB_PORT: portVariable(servicePorts['agent-hub']),
  /** Frames above this close the socket (close code 1009, "message too big"). */
  AGENT_MAX_FRAME_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(4 * 1024 * 1024),
});

export type AgentHubConfig = z.infer<typeof agentHubConfigSchema>;
