import { type AuthenticatedIdentity, CurrentIdentity } from '@meshplane/platform';
import { Args, ID, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { ClusterConfigsService } from './cluster-configs.service.js';
import { ClusterConfig, ClusterConfigOwner, ConfigStateValue, Rollout } from './config.model.js';
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
  constructor(private readonly configs: ClusterConfigsService) {}

  @ResolveReference()
  resolveReference(reference: { id: string }): ClusterConfigOwner {
    return { id: reference.id } as ClusterConfigOwner;
  }

  @ResolveField(() => ClusterConfig)
  async config(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Parent() cluster: ClusterConfigOwner,
  ): Promise<ClusterConfig> {
    // Tenant-scoped read: another tenant's cluster id simply has no config here.
    const view = await this.configs.config(identity.tenantId, cluster.id);
    if (!view) return NOT_COMPILED;
    return { ...view, state: view.state as ConfigStateValue };
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
