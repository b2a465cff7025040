import { randomUUID } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import { isRole, type Role } from './identity.js';

/** What a user's session token says. */
export interface SessionClaims {
  tenantId: string;
  userId: string;
  role: Role;
}

/** A verified token: its claims, and the session it belongs to (its `jti`) with its expiry. */
export interface VerifiedSession extends SessionClaims {
  /** The session id (`jti`): what logging out or a refresh ends (tenants.ended_sessions). */
  sessionId: string;
  issuedAt: number;
  /** Seconds since the epoch (`exp`). */
  expiresAt: number;
}

const ISSUER = 'meshplane';
const AUDIENCE = 'meshplane-api';

/**
 * Short-lived user session tokens (HS256 JWTs). Keys are a list `kid:secret,kid:secret`: the
 * first signs, all verify, so a key can be rotated in without logging everyone out and retired
 * once the tokens it signed have expired.
 */
export class SessionTokens {
  private readonly keys: Map<string, Uint8Array>;
  private readonly signingKid: string;

  constructor(
    keyList: string,
    readonly ttlSeconds = 900,
  ) {
    const entries = keyList.split(',').map((entry) => {
      const separator = entry.indexOf(':');
      const kid = entry.slice(0, separator).trim();
      const secret = entry.slice(separator + 1).trim();
      if (separator < 1 || secret.length < 32) {
        throw new Error('session signing keys must look like kid:secret with secrets of 32+ characters');
      }
      return [kid, new TextEncoder().encode(secret)] as const;
    });
    this.keys = new Map(entries);
    this.signingKid = entries[0]![0];
  }

  async sign(claims: SessionClaims): Promise<{ token: string; expiresAt: Date; sessionId: string }> {
    const expiresAt = new Date(Date.now() + this.ttlSeconds * 1000);
    const sessionId = randomUUID();
    const token = await new SignJWT({ tid: claims.tenantId, rol: claims.role })
      .setProtectedHeader({ alg: 'HS256', kid: this.signingKid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(claims.userId)
      .setJti(sessionId)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.keys.get(this.signingKid)!);
    return { token, expiresAt, sessionId };
  }

  /**
   * The claims of a valid token, or undefined (bad signature, unknown key, expired, malformed,
   * no session id). Whether its session was ended is the tenants service's to say.
   */
  async verify(token: string): Promise<VerifiedSession | undefined> {
    try {
      const { kid } = decodeProtectedHeader(token);
      const key = kid ? this.keys.get(kid) : undefined;
      if (!key) return undefined;
      const { payload } = await jwtVerify(token, key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
      });
      if (
        typeof payload.tid !== 'string' ||
        typeof payload.sub !== 'string' ||
        typeof payload.jti !== 'string' ||
        typeof payload.exp !== 'number' ||
        !isRole(payload.rol)
      )
        return undefined;
      return {
        tenantId: payload.tid,
        userId: payload.sub,
        role: payload.rol,
        sessionId: payload.jti,
        issuedAt: payload.iat ?? 0,
        expiresAt: payload.exp,
      };
    } catch {
      return undefined;
    }
  }
}

/** Session tokens look like JWTs; API tokens start with this prefix. */
export const API_TOKEN_PREFIX = 'mpt_';
