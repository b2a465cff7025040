import { type AuthenticatedIdentity, CurrentIdentity, RequireRole } from '@meshplane/platform';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CreateTierInput, Tier, UpdateTierInput } from './tier.model.js';
import { TiersService } from './tiers.service.js';

@Resolver(() => Tier)
export class TiersResolver {
  constructor(private readonly service: TiersService) {}

  @Query(() => [Tier], {
    nullable: true,
    description: "The tenant's tiers in evaluation order, the built-in 'default' tier included.",
  })
  tiers(@CurrentIdentity() identity: AuthenticatedIdentity) {
    return this.service.list(identity.tenantId);
  }

  @RequireRole('editor')
  @Mutation(() => Tier, { nullable: true, description: 'Create a tier.' })
  createTier(@CurrentIdentity() identity: AuthenticatedIdentity, @Args('input') input: CreateTierInput) {
    return this.service.create(identity.tenantId, input);
  }

  @RequireRole('editor')
  @Mutation(() => Tier, { nullable: true, description: "Change a tier's order or default action." })
  updateTier(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateTierInput,
  ) {
    return this.service.update(identity.tenantId, id, input);
  }

  @RequireRole('editor')
  @Mutation(() => ID, { nullable: true, description: 'Delete a tier no policy uses; returns its id.' })
  deleteTier(@CurrentIdentity() identity: AuthenticatedIdentity, @Args('id', { type: () => ID }) id: string) {
    return this.service.delete(identity.tenantId, id);
  }
}
