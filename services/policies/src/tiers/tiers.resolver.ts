import { type AuthenticatedIdentity, CurrentIdentity } from '@meshplane/platform';
import { Query, Resolver } from '@nestjs/graphql';
import { Tier } from './tier.model.js';
import { TiersService } from './tiers.service.js';

@Resolver(() => Tier)
export class TiersResolver {
  constructor(private readonly service: TiersService) {}

  @Query(() => [Tier], { description: "The tenant's tiers in evaluation order." })
  tiers(@CurrentIdentity() identity: AuthenticatedIdentity) {
    return this.service.list(identity.tenantId);
  }
}
