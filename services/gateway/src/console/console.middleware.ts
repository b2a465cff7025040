import { CONFIG, LOGGER } from '@meshplane/platform';
import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config.js';
import { type ConsoleAsset, ConsoleAssets, defaultConsoleDir } from './console-assets.js';
import { setSecurityHeaders } from './security-headers.js';

/**
 * Paths the gateway serves itself or passes on; never the console's, so a typo in an API path is
 * a 404, not the console's index.html.
 */
const API_PREFIXES = [
  '/graphql',
  '/auth/',
  '/install/',
  '/agent/',
  '/agents',
  '/healthz',
  '/readyz',
  '/metrics',
];

function isApiPath(path: string): boolean {
  return API_PREFIXES.some((prefix) => path === prefix.replace(/\/$/, '') || path.startsWith(prefix));
}

/**
 * Serves the console at `/` on the gateway's origin: hashed assets cached for a year and
 * immutable, `index.html` revalidated on every load (`no-cache`, ETag), and `index.html` for any
 * other GET of a path without a file extension (the SPA's own routes, e.g. /clusters). Every
 * answer of the gateway gets the security headers here too.
 */
@Injectable()
export class ConsoleMiddleware implements NestMiddleware {
  private readonly assets: ConsoleAssets;

  constructor(@Inject(CONFIG) config: GatewayConfig, @Inject(LOGGER) logger: Logger) {
    this.assets = new ConsoleAssets(config.CONSOLE_DIR ?? defaultConsoleDir());
    if (!this.assets.built) {
      logger.warn({ dir: this.assets.dir }, 'console not built; / answers 503 (run npm run build)');
    }
  }

  use(req: Request, res: Response, next: NextFunction) {
    setSecurityHeaders(res);
    res.removeHeader('x-powered-by');
    // req.path is relative to where Nest mounted the middleware; the full path is what counts.
    const path = new URL(req.originalUrl, 'http://gateway').pathname;
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isApiPath(path)) {
      next();
      return;
    }
    const file = this.assets.file(path);
    if (file) {
      this.send(req, res, file, file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      return;
    }
    // A missing hashed asset or any other file name is a real 404 (an old tab asking for a
    // previous build's chunk must not get HTML back as JavaScript).
    if (path.startsWith('/assets/') || /\.[A-Za-z0-9]+$/.test(path)) {
      next();
      return;
    }
    const index = this.assets.index;
    if (!index) {
      res
        .status(503)
        .type('text/plain')
        .send('The console is not built: run `npm run build` (the API at /graphql works).\n');
      return;
    }
    this.send(req, res, index, 'no-cache');
  }

  private send(req: Request, res: Response, asset: ConsoleAsset, cacheControl: string) {
    res.setHeader('cache-control', cacheControl);
    res.setHeader('etag', asset.etag);
    res.setHeader('content-type', asset.contentType);
    if (req.headers['if-none-match'] === asset.etag) {
      res.status(304).end();
      return;
    }
    res.status(200);
    if (req.method === 'HEAD') res.setHeader('content-length', asset.body.length).end();
    else res.end(asset.body);
  }
}
