import { type ArgumentsHost, Catch } from '@nestjs/common';
import type { GqlExceptionFilter } from '@nestjs/graphql';
import type { Response } from 'express';
import { AppError, httpStatusOf } from './error-codes.js';

/**
 * Client errors, however they are thrown. In GraphQL they go straight to `formatError`, which
 * maps them (without this, Nest logs each one as an unexpected error); on plain HTTP endpoints
 * they become `{ error: { code, message, ...details } }` with their category's status.
 */
@Catch(AppError)
export class AppErrorFilter implements GqlExceptionFilter {
  catch(error: AppError, host: ArgumentsHost) {
    if (host.getType() !== 'http') return error;
    const response = host.switchToHttp().getResponse<Response>();
    response
      .status(httpStatusOf[error.category])
      .json({ error: { code: error.reason, message: error.message, ...error.details } });
    return undefined;
  }
}
