import { AppError, CONFIG, IDENTITY_CODEC, type InternalIdentityCodec, type Role } from '@meshplane/platform';
import { Inject, Injectable } from '@nestjs/common';
import type { GatewayConfig } from '../config.js';

export type CredentialCheck =
  | { kind: 'session'; tenantId: string; userId: string; sessionId: string }
  | { kind: 'apiToken'; token: string };

export type CredentialVerdict =
  | { ok: true; credential: { tenantId: string; userId: string; role: Role; tokenId?: string } }
  | { ok: false; reason: string; code?: CredentialRefusal };

/** Why the tenants service refused a credential, where the gateway acts on it (logout does). */
export type CredentialRefusal = 'SESSION_ENDED';

const TIMEOUT_MS = 3_000;

/**
 * Asks the tenants service whether a credential still stands (`POST /internal/v1/authenticate`,
 * with this gateway's service credential). Not cached: a revoked token or removed member is
 * refused on the very next request. Tenants being unreachable is SERVICE_UNAVAILABLE, never a
 * silent accept.
 */
@Injectable()
export class TenantsAuthClient {
  private readonly url: string;

  constructor(
    @Inject(CONFIG) config: GatewayConfig,
    @Inject(IDENTITY_CODEC) private readonly codec: InternalIdentityCodec,
  ) {
    this.url = new URL('/internal/v1/authenticate', config.TENANTS_URL).toString();
  }

  async check(request: CredentialCheck): Promise<CredentialVerdict> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await this.codec.serviceTokens.header()) },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      throw unavailable();
    }
    if (response.status !== 200) throw unavailable();
    return (await response.json()) as CredentialVerdict;
  }
}

function unavailable() {
  return new AppError(
    'unavailable',
    'AUTHENTICATION_UNAVAILABLE',
    'credentials cannot be checked right now; try again shortly',
  );
}
