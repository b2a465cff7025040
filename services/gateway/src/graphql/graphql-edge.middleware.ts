import {
  AppError,
  CONFIG,
  currentContext,
  graphqlCodeOf,
  httpStatusOf,
  IDENTITY_CODEC,
  type Identity,
  type InternalIdentityCodec,
  nonFiniteVariable,
  notFiniteError,
} from '@meshplane/platform';
import { Inject, Injectable, type NestMiddleware, type OnModuleDestroy } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import passport from 'passport';
import type { GatewayConfig } from '../config.js';
import { createRuntime } from './gateway-runtime.js';

/**
 * The public GraphQL endpoint: authenticates the caller (no credential = anonymous, which only
 * sign-up and login accept), then hands the request to the supergraph runtime.
 */
@Injectable()
export class GraphqlEdgeMiddleware implements NestMiddleware, OnModuleDestroy {
  private readonly runtime: ReturnType<typeof createRuntime>;

  constructor(@Inject(CONFIG) config: GatewayConfig, @Inject(IDENTITY_CODEC) codec: InternalIdentityCodec) {
    this.runtime = createRuntime(config, codec);
  }

  use(req: Request, res: Response, next: NextFunction) {
    const correlationId = currentContext()?.correlationId ?? '';
    const serve = (identity: Identity) => {
      this.forward(req, res, identity).catch(next);
    };
    if (!req.headers.authorization) {
      serve({ kind: 'anonymous', correlationId });
      return;
    }
    passport.authenticate('bearer', { session: false }, (error: unknown, identity: Identity | false) => {
      if (error || !identity) {
        const appError =
          error instanceof AppError
            ? error
            : new AppError(
                'unauthenticated',
                'INVALID_TOKEN',
                'the Authorization header must be "Bearer <token>"',
              );
        res.status(httpStatusOf[appError.category]).json({
          errors: [{ message: appError.message, extensions: { code: graphqlCodeOf[appError.category] } }],
        });
        return;
      }
      serve(identity);
    })(req, res, next);
  }

  /** Hands the (already parsed) request to the runtime and copies its answer back. */
  private async forward(req: Request, res: Response, identity: Identity) {
    // JSON parses 1e400 as Infinity, which the runtime would receive as null (re-serialised).
    const infinite = nonFiniteVariable((req.body as { variables?: unknown } | undefined)?.variables);
    if (infinite !== undefined) {
      res.status(400).json({ errors: [notFiniteError(`variables.${infinite}`).toJSON()] });
      return;
    }
    const headers = new Headers();
    for (const name of ['content-type', 'accept', 'x-request-id', 'graphql-client-name']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers.set(name, value);
    }
    const url = `http://${req.headers.host ?? 'gateway'}${req.originalUrl}`;
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const response = await this.runtime.fetch(
      url,
      { method: req.method, headers, body: hasBody ? JSON.stringify(req.body ?? {}) : undefined },
      { identity, clientIp: req.ip ?? req.socket.remoteAddress },
    );
    res.status(response.status);
    response.headers.forEach((value, name) => {
      if (name !== 'content-length' && name !== 'content-encoding') res.setHeader(name, value);
    });
    res.send(Buffer.from(await response.arrayBuffer()));
  }

  async onModuleDestroy() {
    await this.runtime.dispose();
  }
}
