import { CONFIG } from '@meshplane/platform';
import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { GatewayConfig } from '../config.js';

const FORWARDED_REQUEST_HEADERS = ['content-type', 'authorization', 'accept', 'user-agent', 'x-request-id'];
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'cache-control', 'retry-after'];
const MAX_BODY_BYTES = 16 * 1024;

/**
 * The agents' HTTP paths on the public edge — `GET /install/<token>.yaml` (the one-line
 * install) and `POST /agent/v1/*` (token exchange, credential rotation) — are passed to the
 * clusters service, which owns install tokens and credentials.
 */
@Injectable()
export class ClustersProxyMiddleware implements NestMiddleware {
  private readonly target: string;

  constructor(@Inject(CONFIG) config: GatewayConfig) {
    this.target = config.CLUSTERS_URL.replace(/\/graphql\/?$/, '');
  }

  use(req: Request, res: Response, next: NextFunction) {
    this.forward(req, res).catch(next);
  }

  private async forward(req: Request, res: Response) {
    const headers = new Headers();
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string') headers.set(name, value);
    }
    const forwardedFor = [req.headers['x-forwarded-for'], req.socket.remoteAddress]
      .filter(Boolean)
      .join(', ');
    headers.set('x-forwarded-for', forwardedFor);
    let body: string | undefined;
    if (req.method === 'POST') {
      body = JSON.stringify(req.body ?? {});
      if (Buffer.byteLength(body) > MAX_BODY_BYTES) {
        res.status(413).json({ error: { code: 'BODY_TOO_LARGE', message: 'request body too large' } });
        return;
      }
    }
    let upstream: Response | globalThis.Response;
    try {
      upstream = await fetch(this.target + req.originalUrl, {
        method: req.method,
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(10_000),
      });
    } catch {
      res
        .status(503)
        .json({ error: { code: 'UNAVAILABLE', message: 'the clusters service is unavailable; retry' } });
      return;
    }
    res.status(upstream.status);
    for (const name of FORWARDED_RESPONSE_HEADERS) {
      const value = upstream.headers.get(name);
      if (value) res.setHeader(name, value);
    }
    res.send(Buffer.from(await upstream.arrayBuffer()));
  }
}
