import {
  AppError,
  currentContext,
  type Identity,
  nonFiniteVariable,
  notFiniteError,
} from '@meshplane/platform';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import passport from 'passport';
import { clientAddress } from '../edge/client-address.js';
import { CookieSession, sendEdgeError } from '../session/cookie-session.js';
import { SupergraphRuntime } from './supergraph-runtime.js';

/**
 * The public GraphQL endpoint: authenticates the caller, then hands the request to the
 * supergraph runtime. An `Authorization: Bearer` header (automation, scripts) is checked as it
 * always was and wins over any cookie; without one, the console's session cookie is accepted only
 * with a matching `x-csrf-token` header; with neither, the caller is anonymous (which only
 * sign-up and login accept).
 */
@Injectable()
export class GraphqlEdgeMiddleware implements NestMiddleware {
  constructor(
    private readonly runtime: SupergraphRuntime,
    private readonly cookies: CookieSession,
  ) {}

  use(req: Request, res: Response, next: NextFunction) {
    const correlationId = currentContext()?.correlationId ?? '';
    const serve = (identity: Identity) => {
      this.forward(req, res, identity).catch(next);
    };
    if (req.headers.authorization) {
      this.bearer(req, res, next, serve);
      return;
    }
    this.cookies
      .authenticate(req, res, correlationId)
      .then((auth) => {
        if (auth.kind === 'refused') sendEdgeError(res, auth.error);
        else serve(auth.kind === 'ok' ? auth.identity : { kind: 'anonymous', correlationId });
      })
      .catch(next);
  }

  private bearer(req: Request, res: Response, next: NextFunction, serve: (identity: Identity) => void) {
    passport.authenticate('bearer', { session: false }, (error: unknown, identity: Identity | false) => {
      if (error || !identity) {
        sendEdgeError(
          res,
          error instanceof AppError
            ? error
            : new AppError(
                'unauthenticated',
                'INVALID_TOKEN',
                'the Authorization header must be "Bearer <token>"',
              ),
        );
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
      { identity, clientIp: clientAddress(req) },
    );
    res.status(response.status);
    response.headers.forEach((value, name) => {
      if (name !== 'content-length' && name !== 'content-encoding') res.setHeader(name, value);
    });
    res.send(Buffer.from(await response.arrayBuffer()));
  }
}
