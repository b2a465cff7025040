import { isIP } from 'node:net';
import { jwtVerify, SignJWT } from 'jose';
import { type Identity, isRole } from './identity.js';
import { ServiceTokens } from './service-tokens.js';

/** The header the gateway puts the signed identity in; subgraphs refuse requests without it. */
export const INTERNAL_IDENTITY_HEADER = 'x-meshplane-identity';

const ISSUER = 'meshplane-gateway';
const AUDIENCE = 'meshplane-subgraph';
const TTL_SECONDS = 60;

/**
 * Signs and verifies the identity the gateway forwards to subgraphs: a short-lived HS256 JWT,
 * so a subgraph reached directly (bypassing the gateway) can tell and refuse. The caller's
 * address travels inside it (`ip`), so no one but the gateway can set the address that per-IP
 * limits count.
 */
export class InternalIdentityCodec {
  private readonly key: Uint8Array;
  /** Service-to-service credentials, signed with the same secret (see service-tokens.ts). */
  readonly serviceTokens: ServiceTokens;

  constructor(secret: string, service = 'unknown') {
    this.key = new TextEncoder().encode(secret);
    this.serviceTokens = new ServiceTokens(secret, service);
  }

  async sign(identity: Identity): Promise<string> {
    const ip = identity.clientIp && isIP(identity.clientIp) ? { ip: identity.clientIp } : {};
    const claims =
      identity.kind === 'anonymous'
        ? { knd: identity.kind, cid: identity.correlationId, ...ip }
        : {
            knd: identity.kind,
            cid: identity.correlationId,
            tid: identity.tenantId,
            rol: identity.role,
            ...(identity.tokenId ? { tok: identity.tokenId } : {}),
            ...(identity.session ? { sid: identity.session.id, sxp: identity.session.expiresAt } : {}),
            ...ip,
          };
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${TTL_SECONDS}s`);
    if (identity.kind !== 'anonymous') jwt.setSubject(identity.userId);
    return jwt.sign(this.key);
  }

  /** Returns the identity, or undefined when the token is missing, forged, expired or malformed. */
  async verify(token: string | undefined): Promise<Identity | undefined> {
    if (!token || token.length > 4096) return undefined;
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
      });
      const correlationId = typeof payload.cid === 'string' ? payload.cid : '';
      const ip = typeof payload.ip === 'string' && isIP(payload.ip) ? { clientIp: payload.ip } : {};
      if (payload.knd === 'anonymous') return { kind: 'anonymous', correlationId, ...ip };
      if (
        (payload.knd === 'user' || payload.knd === 'token') &&
        typeof payload.tid === 'string' &&
        typeof payload.sub === 'string' &&
        isRole(payload.rol)
      ) {
        return {
          kind: payload.knd,
          tenantId: payload.tid,
          userId: payload.sub,
          role: payload.rol,
          correlationId,
          ...(typeof payload.tok === 'string' ? { tokenId: payload.tok } : {}),
          ...(typeof payload.sid === 'string' && typeof payload.sxp === 'number'
            ? { session: { id: payload.sid, expiresAt: payload.sxp } }
            : {}),
          ...ip,
        };
      }
      return undefined;
    } catch {
      return undefined;
    }
  }
}
