import { type AuthenticatedIdentity, CurrentIdentity, RequireRole } from '@meshplane/platform';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import {
  Cluster,
  ClusterFilter,
  LabelInput,
  RegisterClusterInput,
  RegisterClusterPayload,
} from './cluster.model.js';
import { ClustersService } from './clusters.service.js';

@Resolver(() => Cluster)
export class ClustersResolver {
  constructor(private readonly service: ClustersService) {}

  @Query(() => [Cluster], { nullable: true, description: "The tenant's clusters, by name." })
  clusters(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('filter', { type: () => ClusterFilter, nullable: true }) filter?: ClusterFilter,
  ) {
    return this.service.list(identity.tenantId, filter ?? {});
  }

  @Query(() => Cluster, { nullable: true, description: 'One cluster of the tenant.' })
  cluster(@CurrentIdentity() identity: AuthenticatedIdentity, @Args('id', { type: () => ID }) id: string) {
    return this.service.get(identity.tenantId, id);
  }

  @RequireRole('editor')
  @Mutation(() => RegisterClusterPayload, {
    nullable: true,
    description: 'Register a cluster; returns its one-line install command.',
  })
  registerCluster(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('input') input: RegisterClusterInput,
  ) {
    return this.service.register(identity.tenantId, input);
  }

  @RequireRole('editor')
  @Mutation(() => RegisterClusterPayload, {
    nullable: true,
    description: 'A new install command; unused earlier ones stop working.',
  })
  rotateInstallToken(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('id', { type: () => ID }) id: string,
  ) {
    return this.service.rotateInstallToken(identity.tenantId, id);
  }

  @RequireRole('editor')
  @Mutation(() => Cluster, { nullable: true, description: "Replace a cluster's labels." })
  updateClusterLabels(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('id', { type: () => ID }) id: string,
    @Args('labels', { type: () => [LabelInput] }) labels: LabelInput[],
  ) {
    return this.service.updateLabels(identity.tenantId, id, labels);
  }

  @RequireRole('admin')
  @Mutation(() => Cluster, {
    nullable: true,
    description: "Revoke a cluster's agent credentials; its agent is disconnected within a second.",
  })
  revokeCluster(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('id', { type: () => ID }) id: string,
  ) {
    return this.service.revoke(identity.tenantId, id);
  }

  @RequireRole('admin')
  @Mutation(() => ID, {
    nullable: true,
    description: 'Delete a cluster, its inventory and credentials; its agent is disconnected.',
  })
  deleteCluster(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('id', { type: () => ID }) id: string,
  ) {
    return this.service.delete(identity.tenantId, id);
  }
}
