import { CONFIG, IDENTITY_CODEC, type InternalIdentityCodec } from '@meshplane/platform';
import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { AgentHubConfig } from '../config.js';

const SessionSchema = z.object({
  clusterId: z.uuid(),
  tenantId: z.uuid(),
  clusterName: z.string(),
  epoch: z.number().int().positive(),
});

export type AuthenticatedAgent = z.infer<typeof SessionSchema>;

/** Thrown when the clusters service cannot answer; the agent is asked to retry later. */
export class ClustersUnavailableError extends Error {}

/** The hub's one synchronous call: authenticate an agent's credential and open a session epoch. */
@Injectable()
export class ClustersClient {
  constructor(
    @Inject(CONFIG) private readonly config: AgentHubConfig,
    @Inject(IDENTITY_CODEC) private readonly codec: InternalIdentityCodec,
  ) {}

  async openSession(credential: string): Promise<AuthenticatedAgent | undefined> {
    let response: Response;
    try {
      response = await fetch(new URL('/internal/v1/agent-sessions', this.config.CLUSTERS_INTERNAL_URL), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await this.codec.serviceTokens.header()) },
        body: JSON.stringify({ credential }),
        signal: AbortSignal.timeout(5_000),
      });
    } catch (error) {
      throw new ClustersUnavailableError(error instanceof Error ? error.message : String(error));
    }
    if (response.status === 401) return undefined;
    if (!response.ok) throw new ClustersUnavailableError(`clusters service answered ${response.status}`);
    return SessionSchema.parse(await response.json());
  }
}
