import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { Tenant } from '../tenants/tenant.model.js';
import { User } from '../tenants/user.model.js';

@InputType({ description: 'Create a tenant and its first owner.' })
export class SignUpInput {
  @Field({ description: 'Organisation name (2–64 characters).' })
  tenantName!: string;

  @Field({ description: 'Email of the first owner.' })
  email!: string;

  @Field({ description: 'At least 12 characters mixing three of: lower case, upper case, digits, symbols.' })
  password!: string;
}

@InputType({ description: 'Sign in to a tenant.' })
export class LoginInput {
  @Field({ description: 'Member email.' })
  email!: string;

  @Field({ description: 'Password.' })
  password!: string;

  @Field({ description: "The tenant's slug." })
  tenant!: string;
}

@ObjectType('AuthPayload', { description: 'A session: a short-lived bearer token for the API.' })
export class AuthPayload {
  @Field({ description: 'Bearer token for the Authorization header.' })
  token!: string;

  @Field({ description: 'When the token stops working; call refreshSession (or log in again) before.' })
  expiresAt!: Date;

  @Field(() => User, { description: 'The signed-in member.' })
  user!: User;

  @Field(() => Tenant, { description: 'The tenant signed in to.' })
  tenant!: Tenant;
}

@ObjectType('LogoutPayload', { description: 'A session ended by logging out.' })
export class LogoutPayload {
  @Field(() => ID, { description: "The session that was ended (the session token's `jti`)." })
  sessionId!: string;

  @Field({
    description:
      'Since when its token is refused: now, or earlier if it had already been ended (logging out again changes nothing).',
  })
  endedAt!: Date;
}

@InputType({ description: 'Accept an invitation: choose a password and sign in.' })
export class AcceptInvitationInput {
  @Field({ description: 'The invitation token (`mpv_…`) the inviting admin passed on.' })
  token!: string;

  @Field({ description: 'At least 12 characters mixing three of: lower case, upper case, digits, symbols.' })
  password!: string;
}
