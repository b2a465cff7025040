import { API_TOKEN_PREFIX, CONFIG, type Identity, SessionTokens } from '@meshplane/platform';
import { Inject, Injectable } from '@nestjs/common';
import type { GatewayConfig } from '../config.js';
import { type CredentialRefusal, type CredentialVerdict, TenantsAuthClient } from './tenants-auth.client.js';

export type AuthenticationResult =
  | { ok: true; identity: Identity }
  | { ok: false; reason: string; code?: CredentialRefusal };

const MAX_BEARER_LENGTH = 4096;

/**
 * Turns a bearer credential into the identity requests act with:
 * - a session JWT is verified here (signature against any listed key, so keys rotate without
 *   logging anyone out; expiry), then the tenants service confirms the member still exists, that
 *   the session (its `jti`) was not ended by a logout or refresh, and supplies their current role;
 * - an API token (`mpt_…`) is verified by the tenants service, which holds its hash.
 */
@Injectable()
export class Authenticator {
  private readonly sessions: SessionTokens;

  constructor(
    @Inject(CONFIG) config: GatewayConfig,
    private readonly tenants: TenantsAuthClient,
  ) {
    this.sessions = new SessionTokens(config.JWT_SIGNING_KEYS);
  }

  async authenticate(bearer: string, correlationId: string): Promise<AuthenticationResult> {
    if (bearer.length > MAX_BEARER_LENGTH) return { ok: false, reason: 'the bearer token is too long' };
    if (bearer.startsWith(API_TOKEN_PREFIX)) {
      return this.identityFrom(
        await this.tenants.check({ kind: 'apiToken', token: bearer }),
        'token',
        correlationId,
      );
    }
    const claims = await this.sessions.verify(bearer);
    if (!claims) return { ok: false, reason: 'the bearer token is invalid or expired; sign in again' };
    const verdict = await this.tenants.check({
      kind: 'session',
      tenantId: claims.tenantId,
      userId: claims.userId,
      sessionId: claims.sessionId,
    });
    const result = this.identityFrom(verdict, 'user', correlationId);
    if (result.ok && result.identity.kind === 'user') {
      result.identity.session = { id: claims.sessionId, expiresAt: claims.expiresAt };
    }
    return result;
  }

  private identityFrom(
    verdict: CredentialVerdict,
    kind: 'user' | 'token',
    correlationId: string,
  ): AuthenticationResult {
    if (!verdict.ok) return verdict;
    const { tenantId, userId, role, tokenId } = verdict.credential;
    return {
      ok: true,
      identity: { kind, tenantId, userId, role, correlationId, ...(tokenId ? { tokenId } : {}) },
    };
  }
}
