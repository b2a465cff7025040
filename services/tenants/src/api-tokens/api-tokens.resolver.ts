import { type AuthenticatedIdentity, CurrentIdentity, RequireRole } from '@meshplane/platform';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ApiToken, CreateApiTokenInput, CreatedApiToken } from './api-token.model.js';
import { ApiTokensService } from './api-tokens.service.js';

@Resolver()
export class ApiTokensResolver {
  constructor(private readonly tokens: ApiTokensService) {}

  @RequireRole('admin')
  @Query(() => [ApiToken], {
    nullable: true,
    description: "The tenant's API tokens, newest first, revoked ones included.",
  })
  apiTokens(@CurrentIdentity() identity: AuthenticatedIdentity) {
    return this.tokens.list(identity);
  }

  @RequireRole('admin')
  @Mutation(() => CreatedApiToken, {
    nullable: true,
    description: 'Create an API token; its secret is returned this once.',
  })
  createApiToken(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('input') input: CreateApiTokenInput,
  ) {
    return this.tokens.create(identity, input);
  }

  @RequireRole('admin')
  @Mutation(() => ApiToken, {
    nullable: true,
    description: 'Revoke an API token; the next request using it is refused.',
  })
  revokeApiToken(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('id', { type: () => ID, description: 'The token.' }) id: string,
  ) {
    return this.tokens.revoke(identity, id);
  }
}
