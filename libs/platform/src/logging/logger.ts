import type { LoggerService } from '@nestjs/common';
import { type Logger, pino } from 'pino';
import { currentContext } from './request-context.js';

/** Keys whose values never reach a log line. */
const REDACT = [
  'password',
  'token',
  'secret',
  'credential',
  'authorization',
  '*.password',
  '*.token',
  '*.secret',
  '*.credential',
  'req.headers.authorization',
  'req.headers["x-meshplane-identity"]',
];

/** One JSON line per event; the request context (correlation, tenant, cluster) is added to each. */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service },
    redact: { paths: REDACT, censor: '[redacted]' },
    // The client's address is for limits, not for every log line.
    mixin: () => {
      const context = currentContext();
      if (!context) return {};
      const { clientIp: _clientIp, ...logged } = context;
      return logged;
    },
  });
}

/** Lets Nest's own messages go through pino. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  /** Nest's start-up chatter (modules initialised, routes mapped) is debug detail, not news. */
  log(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
