import { type AuthenticatedIdentity, CurrentIdentity, RequireRole } from '@meshplane/platform';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import {
  ChangeSetApplied,
  ChangeSetInput,
  ChangeSetObjects,
  ChangeSetPlan,
  PolicyWarning,
} from './change-set.model.js';
import { ChangeSetsService } from './change-sets.service.js';

@Resolver(() => ChangeSetPlan)
export class ChangeSetsResolver {
  constructor(private readonly changeSets: ChangeSetsService) {}

  @Query(() => ChangeSetObjects, {
    nullable: true,
    description: "The tenant's tiers and policies as Calico v3 objects, for `meshplane get` (viewer and up).",
  })
  changeSetObjects(@CurrentIdentity() identity: AuthenticatedIdentity) {
    return this.changeSets.objects(identity.tenantId);
  }

  @Query(() => [PolicyWarning], {
    nullable: true,
    description:
      "The tenant's enforced policies that can never decide a packet: an earlier policy for all of their endpoints (same or broader selector) takes every packet with an unconditional Allow, Deny, or Pass (in its own tier). Compliance zones are not considered (viewer and up).",
  })
  policyWarnings(@CurrentIdentity() identity: AuthenticatedIdentity) {
    return this.changeSets.warnings(identity.tenantId);
  }

  @RequireRole('editor')
  @Mutation(() => ChangeSetPlan, {
    nullable: true,
    description:
      'Plan a change set: each object created, updated, deleted (prune) or unchanged, with diffs; BAD_USER_INPUT lists every invalid field with its object index (`extensions.issues`), and nothing is stored. The plan is kept for `applyChangeSet`.',
  })
  planChangeSet(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('input', { type: () => ChangeSetInput }) input: ChangeSetInput,
  ) {
    return this.changeSets.plan(identity.tenantId, input);
  }

  @RequireRole('editor')
  @Mutation(() => ChangeSetApplied, {
    nullable: true,
    description:
      "Apply a plan, all or nothing, under one change id; CONFLICT when the tenant's tiers or policies changed since the plan, or it was applied or has expired.",
  })
  applyChangeSet(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('planId', { type: () => ID }) planId: string,
  ) {
    return this.changeSets.apply(identity, planId);
  }
}
