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

const CheckSchema = z.object({
  ended: z.array(z.object({ clusterId: z.uuid(), reason: z.enum(['revoked', 'deleted', 'superseded']) })),
});

export type EndedSession = z.infer<typeof CheckSchema>['ended'][number];

/** Sessions per check call (the clusters service takes up to 1,000). */
export const SESSIONS_PER_CHECK = 500;

/** The hub's call on every hello: authenticate an agent's credential and open a session epoch. */
@Injectable()
export class ClustersClient {
  constructor(
    @Inject(CONFIG) private readonly config: AgentHubConfig,
    @Inject(IDENTITY_CODEC) private readonly codec: InternalIdentityCodec,
  ) {}

  /** Which of these sessions must end: their cluster was revoked or deleted, or a newer session took over. */
  async checkSessions(sessions: readonly { clusterId: string; epoch: number }[]): Promise<EndedSession[]> {
    const answer = await postInternal(this.codec, {
      baseUrl: this.config.CLUSTERS_INTERNAL_URL,
      path: '/internal/v1/agent-sessions/check',
      body: { sessions },
      schema: CheckSchema,
      timeoutMs: 10_000,
    });
    if (!answer) throw new Error('the clusters service gave no answer to a session check');
    return answer.ended;
  }

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
