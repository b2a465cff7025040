import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { correlationIdFrom, runWithContext } from '../logging/request-context.js';
import { Metrics } from '../metrics/metrics.js';

/** Gives every request a correlation id (echoed back) and records its duration. */
@Injectable()
export class RequestMiddleware implements NestMiddleware {
  constructor(private readonly metrics: Metrics) {}

  use(req: Request, res: Response, next: NextFunction) {
    const correlationId = correlationIdFrom(req.headers['x-request-id']);
    res.setHeader('x-request-id', correlationId);
    const stop = this.metrics.httpRequests.startTimer({ method: req.method });
    res.on('finish', () => {
      const route = req.baseUrl + (req.route?.path ?? '') || req.path.split('/').slice(0, 2).join('/');
      stop({ route, status: String(res.statusCode) });
    });
    runWithContext({ correlationId }, next);
  }
}
