import { CONFIG, type Limit, RateLimits, REDIS } from '@meshplane/platform';
import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Redis } from 'ioredis';
import type { GatewayConfig } from '../config.js';
import { clientAddress } from './client-address.js';

const FORWARDED_REQUEST_HEADERS = ['content-type', 'authorization', 'accept', 'user-agent', 'x-request-id'];
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'cache-control', 'retry-after'];
const MAX_BODY_BYTES = 16 * 1024;

/**
 * The agents' HTTP paths on the public edge — `GET /install/<token>.yaml` (the one-line
 * install) and `POST /agent/v1/*` (token exchange, credential rotation) — are passed to the
 * clusters service, which owns install tokens and credentials. Each client address has a budget
 * per minute on each (`INSTALL_RATE_LIMIT_PER_MINUTE`, `AGENT_API_RATE_LIMIT_PER_MINUTE`); past
 * it the answer is 429 `RATE_LIMITED` with `Retry-After`, and nothing reaches the service.
 */
@Injectable()
export class ClustersProxyMiddleware implements NestMiddleware {
  private readonly target: string;
  private readonly limits: RateLimits;
  private readonly installLimit: Limit;
  private readonly agentApiLimit: Limit;

  constructor(@Inject(CONFIG) config: GatewayConfig, @Inject(REDIS) redis: Redis) {
    this.target = config.CLUSTERS_URL.replace(/\/graphql\/?$/, '');
    this.limits = new RateLimits(redis, config.REDIS_PREFIX);
    this.installLimit = { bucket: 'install', max: config.INSTALL_RATE_LIMIT_PER_MINUTE, windowSeconds: 60 };
    this.agentApiLimit = {
      bucket: 'agent-api',
      max: config.AGENT_API_RATE_LIMIT_PER_MINUTE,
      windowSeconds: 60,
    };
  }

  use(req: Request, res: Response, next: NextFunction) {
    this.forward(req, res).catch(next);
  }

  private async forward(req: Request, res: Response) {
    const client = clientAddress(req);
    const limit = req.originalUrl.startsWith('/install/') ? this.installLimit : this.agentApiLimit;
    const outcome = await this.limits.take(limit, client);
    if (!outcome.allowed) {
      res
        .status(429)
        .setHeader('retry-after', String(outcome.retryAfterSeconds))
        .json({
          error: {
            code: 'RATE_LIMITED',
            message: `too many requests from this address; try again in ${outcome.retryAfterSeconds} seconds`,
            retryAfterSeconds: outcome.retryAfterSeconds,
          },
        });
      return;
    }
    const headers = new Headers();
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string') headers.set(name, value);
    }
    // The client as the gateway established it (through trusted proxies only), not a chain the
    // client could have written itself.
    headers.set('x-forwarded-for', client);
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
