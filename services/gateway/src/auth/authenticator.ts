import { API_TOKEN_PREFIX, CONFIG, type Identity, SessionTokens } from '@meshplane/platform';
import { Inject, Injectable } from '@nestjs/common';
import type { GatewayConfig } from '../config.js';

export type AuthenticationResult = { ok: true; identity: Identity } | { ok: false; reason: string };

/** Turns a bearer credential (session JWT or API token) into the identity requests act with. */
@Injectable()
export class Authenticator {
  private readonly sessions: SessionTokens;

  constructor(@Inject(CONFIG) config: GatewayConfig) {
    this.sessions = new SessionTokens(config.JWT_SIGNING_KEYS);
  }

  async authenticate(bearer: string, correlationId: string): Promise<AuthenticationResult> {
    if (bearer.length > 4096) return { ok: false, reason: 'the bearer token is too long' };
    if (bearer.startsWith(API_TOKEN_PREFIX)) {
      return { ok: false, reason: 'API tokens are not accepted yet; sign in with login' };
    }
    const claims = await this.sessions.verify(bearer);
    if (!claims) return { ok: false, reason: 'the bearer token is invalid or expired; sign in again' };
    return {
      ok: true,
      identity: {
        kind: 'user',
        tenantId: claims.tenantId,
        userId: claims.userId,
        role: claims.role,
        correlationId,
      },
    };
  }
}
