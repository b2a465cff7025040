import {
  applyDecorators,
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { jwtVerify, SignJWT } from 'jose';
import { IDENTITY_CODEC } from '../nest/tokens.js';
import type { InternalIdentityCodec } from './internal-identity.js';

/** Header carrying the calling service's credential on internal HTTP endpoints. */
export const SERVICE_CREDENTIAL_HEADER = 'x-meshplane-service';

const ISSUER = 'meshplane-service';
const AUDIENCE = 'meshplane-internal';

/**
 * Credentials for the few synchronous service-to-service calls (`/internal/...` endpoints):
 * short-lived HS256 JWTs naming the calling service, signed with the internal identity secret
 * that only Meshplane's own processes hold.
 */
export class ServiceTokens {
  private readonly key: Uint8Array;
  private cached?: { token: string; renewAt: number };

  constructor(
    secret: string,
    private readonly service: string,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  /** A credential for outgoing calls, reused until shortly before it expires. */
  async header(): Promise<Record<string, string>> {
    const now = Date.now();
    if (!this.cached || now >= this.cached.renewAt) {
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject(this.service)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(this.key);
      this.cached = { token, renewAt: now + 4 * 60_000 };
    }
    return { [SERVICE_CREDENTIAL_HEADER]: this.cached.token };
  }

  /** The calling service's name, or undefined for a missing, forged or expired credential. */
  async verify(token: string | undefined): Promise<string | undefined> {
    if (!token || token.length > 2048) return undefined;
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
      });
      return typeof payload.sub === 'string' ? payload.sub : undefined;
    } catch {
      return undefined;
    }
  }
}

const CALLERS_KEY = 'meshplane:internal-callers';

@Injectable()
export class InternalEndpointGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(IDENTITY_CODEC) private readonly codec: InternalIdentityCodec,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request & { callerService?: string }>();
    const header = request.headers[SERVICE_CREDENTIAL_HEADER];
    const caller = await this.codec.serviceTokens.verify(Array.isArray(header) ? header[0] : header);
    const allowed = this.reflector.get<string[]>(CALLERS_KEY, context.getHandler()) ?? [];
    if (!caller || (allowed.length > 0 && !allowed.includes(caller))) {
      throw new UnauthorizedException('internal endpoint: a valid service credential is required');
    }
    request.callerService = caller;
    return true;
  }
}

/** Marks a controller method as internal: only Meshplane services (optionally only these) may call it. */
export const InternalEndpoint = (...callers: string[]) =>
  applyDecorators(SetMetadata(CALLERS_KEY, callers), UseGuards(InternalEndpointGuard));
