import { InternalEndpoint } from '@meshplane/platform';
import { BadRequestException, Body, Controller, HttpCode, Post } from '@nestjs/common';
import { z } from 'zod';
import { CredentialVerifier, type Verification } from './credential-verifier.service.js';

/** What the gateway asks about each bearer credential it has parsed. */
export const authenticateRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('session'), tenantId: z.uuid(), userId: z.uuid(), sessionId: z.uuid() }),
  z.object({ kind: z.literal('apiToken'), token: z.string().max(256) }),
]);

export type AuthenticateRequest = z.infer<typeof authenticateRequestSchema>;

/**
 * `POST /internal/v1/authenticate`, for the gateway only: answers 200 with `{ ok: true, credential }`
 * or `{ ok: false, reason }`, so any other status means "tenants is unavailable", not "refused".
 */
@Controller('internal/v1')
export class AuthenticateController {
  constructor(private readonly verifier: CredentialVerifier) {}

  @Post('authenticate')
  @HttpCode(200)
  @InternalEndpoint('gateway')
  authenticate(@Body() body: unknown): Promise<Verification> {
    const parsed = authenticateRequestSchema.safeParse(body);
    if (!parsed.success) {
      throw new BadRequestException(
        'expected { kind: "session", tenantId, userId, sessionId } or { kind: "apiToken", token }',
      );
    }
    const request = parsed.data;
    return request.kind === 'session'
      ? this.verifier.session(request.tenantId, request.userId, request.sessionId)
      : this.verifier.apiToken(request.token);
  }
}
