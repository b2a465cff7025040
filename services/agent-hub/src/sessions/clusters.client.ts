import { CONFIG, IDENTITY_CODEC, type InternalIdentityCodec, postInternal } from '@meshplane/platform';
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

/** The hub's call on every hello: authenticate an agent's credential and open a session epoch. */
@Injectable()
export class ClustersClient {
  constructor(
    @Inject(CONFIG) private readonly config: AgentHubConfig,
    @Inject(IDENTITY_CODEC) private readonly codec: InternalIdentityCodec,
  ) {}

  /** The session, undefined for an unknown credential, `revoked` for one of a revoked cluster (409). */
  openSession(credential: string): Promise<AuthenticatedAgent | undefined | 'revoked'> {
    return postInternal(
      this.codec,
      {
        baseUrl: this.config.CLUSTERS_INTERNAL_URL,
        path: '/internal/v1/agent-sessions',
        body: { credential },
        schema: SessionSchema,
        timeoutMs: 5_000,
      },
      { unauthorizedAsUndefined: true, refusals: { 409: 'revoked' as const } },
    );
  }
}
