import { type AuthenticatedIdentity, CurrentIdentity, Public } from '@meshplane/platform';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Viewer } from '../tenants/user.model.js';
import { AuthPayload, LoginInput, SignUpInput } from './auth.inputs.js';
import { AuthService } from './auth.service.js';

@Resolver()
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Mutation(() => AuthPayload, { description: 'Create a tenant with you as its owner, and sign in.' })
  signUp(@Args('input') input: SignUpInput) {
    return this.auth.signUp(input);
  }

  @Public()
  @Mutation(() => AuthPayload, { description: 'Sign in to a tenant.' })
  login(@Args('input') input: LoginInput) {
    return this.auth.login(input);
  }

  @Query(() => Viewer, { description: 'Who is calling: user, tenant and role.' })
  me(@CurrentIdentity() identity: AuthenticatedIdentity) {
    return this.auth.viewer(identity);
  }
}
