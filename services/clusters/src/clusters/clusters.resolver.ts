import { type AuthenticatedIdentity, CurrentIdentity } from '@meshplane/platform';
import { Query, Resolver } from '@nestjs/graphql';
import { Cluster } from './cluster.model.js';
import { ClustersService } from './clusters.service.js';

@Resolver(() => Cluster)
export class ClustersResolver {
  constructor(private readonly service: ClustersService) {}

  @Query(() => [Cluster], { description: "The tenant's clusters, by name." })
  clusters(@CurrentIdentity() identity: AuthenticatedIdentity) {
    return this.service.list(identity.tenantId);
  }
}
