import { InternalEndpoint } from '@meshplane/platform';
import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { z } from 'zod';
import { clustersError } from '../clusters/clusters.errors.js';
import { AgentCredentialsService } from './agent-credentials.service.js';

const ExchangeBody = z.object({ bootstrapToken: z.string().min(1).max(256) });
const SessionBody = z.object({ credential: z.string().min(1).max(256) });
/** At most this many sessions per check; a hub with more sends several. */
const MAX_SESSIONS_PER_CHECK = 1_000;
const CheckBody = z.object({
  sessions: z
    .array(z.object({ clusterId: z.uuid(), epoch: z.number().int().positive() }))
    .max(MAX_SESSIONS_PER_CHECK),
});

function bearer(header: string | undefined): string {
  const match = /^Bearer (\S{1,256})$/.exec(header ?? '');
  if (!match) throw clustersError('CREDENTIAL_INVALID');
  return match[1]!;
}

/** What agents call (through the public edge): token exchange and credential rotation. */
@Controller('agent/v1')
export class AgentApiController {
  constructor(private readonly credentials: AgentCredentialsService) {}

  @Post('exchange')
  @HttpCode(200)
  exchange(@Body() body: unknown) {
    const parsed = ExchangeBody.safeParse(body);
    if (!parsed.success)
      throw clustersError('INVALID_INPUT', {}, 'body must be {"bootstrapToken": "<token>"}');
    return this.credentials.exchange(parsed.data.bootstrapToken);
  }

  @Post('rotate')
  @HttpCode(200)
  rotate(@Headers('authorization') authorization: string | undefined) {
    return this.credentials.rotate(bearer(authorization));
  }
}

/** What the agent hub calls when an agent says hello. */
@Controller('internal/v1')
export class InternalAgentController {
  constructor(private readonly credentials: AgentCredentialsService) {}

  @Post('agent-sessions')
  @HttpCode(200)
  @InternalEndpoint('agent-hub')
  openSession(@Body() body: unknown) {
    const parsed = SessionBody.safeParse(body);
    if (!parsed.success) throw clustersError('CREDENTIAL_INVALID');
    return this.credentials.openSession(parsed.data.credential);
  }

  /** Which of the hub's sessions must end (revoked, deleted, superseded); the hub asks periodically. */
  @Post('agent-sessions/check')
  @HttpCode(200)
  @InternalEndpoint('agent-hub')
  async checkSessions(@Body() body: unknown) {
    const parsed = CheckBody.safeParse(body);
    if (!parsed.success) {
      throw clustersError(
        'INVALID_INPUT',
        {},
        `body must be {"sessions": [{"clusterId": "<uuid>", "epoch": <n>}]} with at most ${MAX_SESSIONS_PER_CHECK} sessions`,
      );
    }
    return { ended: await this.credentials.checkSessions(parsed.data.sessions) };
  }
}
