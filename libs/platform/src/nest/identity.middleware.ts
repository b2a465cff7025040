import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Identity } from '../identity/identity.js';
import { INTERNAL_IDENTITY_HEADER, type InternalIdentityCodec } from '../identity/internal-identity.js';
import { currentContext, runWithContext } from '../logging/request-context.js';
import { IDENTITY_CODEC } from './tokens.js';

export type RequestWithIdentity = Request & { identity?: Identity };

/**
 * Subgraphs sit behind the gateway: a GraphQL request without a valid signed identity did not
 * come through it, and is refused before it reaches any resolver.
 */
@Injectable()
export class IdentityMiddleware implements NestMiddleware {
  constructor(@Inject(IDENTITY_CODEC) private readonly codec: InternalIdentityCodec) {}

  async use(req: RequestWithIdentity, res: Response, next: NextFunction) {
    const header = req.headers[INTERNAL_IDENTITY_HEADER];
    const identity = await this.codec.verify(Array.isArray(header) ? header[0] : header);
    if (!identity) {
      res.status(401).json({
        errors: [
          {
            message: 'this service only answers requests that come through the Meshplane gateway',
            extensions: { code: 'UNAUTHENTICATED' },
          },
        ],
      });
      return;
    }
    req.identity = identity;
    const correlationId = identity.correlationId || currentContext()?.correlationId || '';
    const clientIp = identity.clientIp ? { clientIp: identity.clientIp } : {};
    const context =
      identity.kind === 'anonymous'
        ? { correlationId, ...clientIp }
        : { correlationId, tenantId: identity.tenantId, userId: identity.userId, ...clientIp };
    runWithContext(context, next);
  }
}
