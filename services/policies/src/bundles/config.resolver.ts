import {
  type AuthenticatedIdentity,
  CurrentIdentity,
  type GraphQLRequestContext,
  PerRequest,
  tenantOf,
} from '@meshplane/platform';
import { Args, Context, ID, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { ClusterConfigsService } from './cluster-configs.service.js';
import { ClusterConfig, ClusterConfigOwner, ConfigStateValue, Rollout } from './config.model.js';
import { ClusterReceivedConfig } from './received-config.model.js';
import { RolloutsService } from './rollouts.service.js';

const NOT_COMPILED: ClusterConfig = {
  desiredVersion: 0,
  appliedVersion: 0,
  state: ConfigStateValue.PENDING,
  errors: [],
  lastResultAt: null,
};

@Resolver(() => ClusterConfigOwner)
export class ClusterConfigResolver {
  /** `config` of every cluster of one request in one query (a page of 500 clusters is one read). */
  private readonly perRequest = new PerRequest<GraphQLRequestContext, string, ClusterConfig>(
    async (request, clusterIds) => {
      // Tenant-scoped read: another tenant's cluster id simply has no config here.
      const views = await this.configs.configs(tenantOf(request), clusterIds);
      return views.map((view) => (view ? { ...view, state: view.state as ConfigStateValue } : NOT_COMPILED));
    },
  );

  constructor(private readonly configs: ClusterConfigsService) {}

  @ResolveReference()
  resolveReference(reference: { id: string }): ClusterConfigOwner {
    return { id: reference.id } as ClusterConfigOwner;
  }

  @Query(() => ClusterReceivedConfig, {
    nullable: true,
    description:
      "The objects of a cluster's current bundle, as YAML and as objects: what the cluster received (viewer and up).",
  })
  clusterConfig(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('clusterId', { type: () => ID }) clusterId: string,
  ): Promise<ClusterReceivedConfig> {
    return this.configs.received(identity.tenantId, clusterId);
  }

  @ResolveField(() => ClusterConfig)
  config(
    @Parent() cluster: ClusterConfigOwner,
    @Context() request: GraphQLRequestContext,
  ): Promise<ClusterConfig> {
    return this.perRequest.load(request, cluster.id);
  }
}

@Resolver(() => Rollout)
export class RolloutResolver {
  constructor(private readonly rollouts: RolloutsService) {}

  @Query(() => Rollout, {
    nullable: true,
    description: 'Which clusters have applied a change (`PolicyChange.changeId`), which failed and why.',
  })
  rollout(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('changeId', { type: () => ID }) changeId: string,
  ) {
    return this.rollouts.rollout(identity.tenantId, changeId);
  }
}
