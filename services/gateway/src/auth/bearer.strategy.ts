import { AppError, currentContext } from '@meshplane/platform';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { Authenticator } from './authenticator.js';

/** Passport's bearer strategy over the Authenticator: `Authorization: Bearer <jwt or API token>`. */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, 'bearer') {
  constructor(private readonly authenticator: Authenticator) {
    super();
  }

  async validate(token: string) {
    const result = await this.authenticator.authenticate(token, currentContext()?.correlationId ?? '');
    if (!result.ok) throw new AppError('unauthenticated', result.code ?? 'INVALID_TOKEN', result.reason);
    return result.identity;
  }
}
