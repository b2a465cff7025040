import { type AuthenticatedIdentity, CurrentIdentity, RequireRole } from '@meshplane/platform';
import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { PolicyVersionsService } from '../versions/policy-versions.service.js';
import { PoliciesService } from './policies.service.js';
import {
  CreatePolicyInput,
  Policy,
  PolicyChange,
  PolicyDiff,
  PolicyFilter,
  PolicyVersion,
  UpdatePolicyInput,
} from './policy.model.js';

@Resolver(() => Policy)
export class PoliciesResolver {
  constructor(
    private readonly service: PoliciesService,
    private readonly versions: PolicyVersionsService,
  ) {}

  @Query(() => [Policy], {
    nullable: true,
    description: "The tenant's policies, by tier, namespace and name.",
  })
  policies(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('filter', { type: () => PolicyFilter, nullable: true }) filter?: PolicyFilter,
  ) {
    return this.service.list(identity.tenantId, filter ?? {});
  }

  @Query(() => Policy, { nullable: true, description: 'One policy of the tenant.' })
  policy(@CurrentIdentity() identity: AuthenticatedIdentity, @Args('id', { type: () => ID }) id: string) {
    return this.service.get(identity.tenantId, id);
  }

  @Query(() => [PolicyVersion], {
    nullable: true,
    description: "A policy's versions, newest first (also of a deleted policy).",
  })
  policyHistory(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('id', { type: () => ID }) id: string,
  ) {
    return this.versions.history(identity.tenantId, id);
  }

  @Query(() => PolicyDiff, {
    nullable: true,
    description: 'What changed in a policy between two of its versions.',
  })
  policyDiff(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('id', { type: () => ID }) id: string,
    @Args('from', { type: () => Int, description: 'The earlier version.' }) from: number,
    @Args('to', { type: () => Int, description: 'The later version.' }) to: number,
  ) {
    return this.versions.diff(identity.tenantId, id, from, to);
  }

  @RequireRole('editor')
  @Mutation(() => PolicyChange, { nullable: true, description: 'Create a policy (version 1).' })
  createPolicy(@CurrentIdentity() identity: AuthenticatedIdentity, @Args('input') input: CreatePolicyInput) {
    return this.service.create(identity, input);
  }

  @RequireRole('editor')
  @Mutation(() => PolicyChange, { nullable: true, description: "Replace a policy's spec (a new version)." })
  updatePolicy(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdatePolicyInput,
  ) {
    return this.service.update(identity, id, input);
  }

  @RequireRole('editor')
  @Mutation(() => PolicyChange, {
    nullable: true,
    description: 'Delete a policy (its history is kept; it can be rolled back).',
  })
  deletePolicy(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('id', { type: () => ID }) id: string,
  ) {
    return this.service.delete(identity, id);
  }

  @RequireRole('editor')
  @Mutation(() => PolicyChange, {
    nullable: true,
    description: 'Make a new version whose spec is that of an earlier one (restoring a deleted policy).',
  })
  rollbackPolicy(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('id', { type: () => ID }) id: string,
    @Args('version', { type: () => Int, description: 'The version to restore.' }) version: number,
  ) {
    return this.service.rollback(identity, id, version);
  }
}
