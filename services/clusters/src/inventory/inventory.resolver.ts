import { type AuthenticatedIdentity, CurrentIdentity } from '@meshplane/platform';
import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { ClusterServiceConnection, EndpointConnection } from './inventory.model.js';
import { InventoryService } from './inventory.service.js';

@Resolver()
export class InventoryResolver {
  constructor(private readonly inventory: InventoryService) {}

  @Query(() => EndpointConnection, {
    nullable: true,
    description: "Workload endpoints (pods) of the tenant's clusters.",
  })
  endpoints(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('clusterId', { type: () => ID, nullable: true }) clusterId?: string,
    @Args('namespace', { nullable: true }) namespace?: string,
    @Args('first', { type: () => Int, nullable: true, description: '1 to 500, default 100.' }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ) {
    return this.inventory.endpoints(identity.tenantId, { clusterId, namespace, first, after });
  }

  @Query(() => ClusterServiceConnection, {
    nullable: true,
    description: "Kubernetes Services of the tenant's clusters.",
  })
  services(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('clusterId', { type: () => ID, nullable: true }) clusterId?: string,
    @Args('namespace', { nullable: true }) namespace?: string,
    @Args('first', { type: () => Int, nullable: true, description: '1 to 500, default 100.' }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ) {
    return this.inventory.services(identity.tenantId, { clusterId, namespace, first, after });
  }
}
