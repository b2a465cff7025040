import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/**
 * The gateway puts the caller's address in this header next to the signed identity (the
 * subgraph refuses requests without that identity, so only the gateway can set it).
 */
export const CLIENT_IP_HEADER = 'x-meshplane-client-ip';

const storage = new AsyncLocalStorage<string>();

/** The address of the client this request serves, for per-IP rate limits. */
export function currentClientIp(): string {
  return storage.getStore() ?? 'unknown';
}

@Injectable()
export class ClientIpMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction) {
    const header = req.headers[CLIENT_IP_HEADER];
    const value = Array.isArray(header) ? header[0] : header;
    const ip = value && value.length <= 64 && /^[0-9A-Fa-f:.]+$/.test(value) ? value : 'unknown';
    storage.run(ip, next);
  }
}
