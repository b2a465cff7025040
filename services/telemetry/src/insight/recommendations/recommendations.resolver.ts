import { type AuthenticatedIdentity, CurrentIdentity } from '@meshplane/platform';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { PolicyRecommendation, RecommendPolicyInput } from './recommendations.model.js';
import { RecommendationsService } from './recommendations.service.js';

@Resolver()
export class RecommendationsResolver {
  constructor(private readonly recommendations: RecommendationsService) {}

  @Query(() => PolicyRecommendation, {
    nullable: true,
    description:
      'A least-privilege staged policy for a namespace of a cluster, allowing exactly the ingress observed allowed (viewer and up; creating it needs editor).',
  })
  recommendPolicy(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('input', { type: () => RecommendPolicyInput }) input: RecommendPolicyInput,
  ) {
    return this.recommendations.recommend(identity.tenantId, input);
  }
}
