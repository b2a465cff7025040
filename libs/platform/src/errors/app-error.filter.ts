import { Catch } from '@nestjs/common';
import type { GqlExceptionFilter } from '@nestjs/graphql';
import { AppError } from './error-codes.js';

/**
 * Client errors thrown anywhere in a GraphQL request (guards included) go straight to
 * `formatError`, which maps them; without this, Nest logs each one as an unexpected error.
 */
@Catch(AppError)
export class AppErrorFilter implements GqlExceptionFilter {
  catch(error: AppError) {
    return error;
  }
}
