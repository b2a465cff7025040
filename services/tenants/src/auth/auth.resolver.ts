import { type AuthenticatedIdentity, CurrentIdentity, Public } from '@meshplane/platform';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Viewer } from '../tenants/user.model.js';
import { AcceptInvitationInput, AuthPayload, LoginInput, LogoutPayload, SignUpInput } from './auth.inputs.js';
import { AuthService } from './auth.service.js';

@Resolver()
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Mutation(() => AuthPayload, {
    nullable: true,
    description: 'Create a tenant with you as its owner, and sign in.',
  })
  signUp(@Args('input') input: SignUpInput) {
    return this.auth.signUp(input);
  }

  @Public()
  @Mutation(() => AuthPayload, { nullable: true, description: 'Sign in to a tenant.' })
  login(@Args('input') input: LoginInput) {
    return this.auth.login(input);
  }

  @Public()
  @Mutation(() => AuthPayload, {
    nullable: true,
    description: 'Accept an invitation to a tenant: set your password and sign in. Works once.',
  })
  acceptInvitation(@Args('input') input: AcceptInvitationInput) {
    return this.auth.acceptInvitation(input);
  }

  @Mutation(() => AuthPayload, {
    nullable: true,
    description:
      'A fresh session token with your current role, for a signed-in user whose token has not expired yet. The token used to call it is refused a few seconds later (SESSION_REFRESH_GRACE_SECONDS, so requests in flight with it finish).',
  })
  refreshSession(@CurrentIdentity() identity: AuthenticatedIdentity) {
    return this.auth.refresh(identity);
  }

  @Mutation(() => LogoutPayload, {
    description:
      'End the session of the session token this request is authenticated with: the token is refused from the next request on, by every service. Other sessions of the same member keep working. Not for API tokens (revokeApiToken).',
  })
  logout(@CurrentIdentity() identity: AuthenticatedIdentity) {
    return this.auth.logout(identity);
  }

  @Query(() => Viewer, { nullable: true, description: 'Who is calling: user, tenant and role.' })
  me(@CurrentIdentity() identity: AuthenticatedIdentity) {
    return this.auth.viewer(identity);
  }
}
