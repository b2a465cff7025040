import { type AuthenticatedIdentity, CurrentIdentity } from '@meshplane/platform';
import { Args, Directive, Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { ChangeSetPlanWhatIfOwner, ChangeSetWhatIfInput } from './change-set-what-if.model.js';
import { WhatIfResult } from './what-if.model.js';
import { WhatIfService } from './what-if.service.js';

/**
 * `ChangeSetPlan.whatIf`: the plan's policy changes (its `whatIfChanges`, which the gateway
 * fetches from the policies subgraph first) evaluated by the same {@link WhatIfService} as the
 * `whatIf` query, so a plan's what-if is exactly `whatIf` of the same changes.
 */
@Resolver(() => ChangeSetPlanWhatIfOwner)
export class ChangeSetWhatIfResolver {
  constructor(private readonly whatIfs: WhatIfService) {}

  @ResolveReference()
  resolveReference(reference: { id: string; whatIfChanges?: unknown[] }): ChangeSetPlanWhatIfOwner {
    return { id: reference.id, whatIfChanges: reference.whatIfChanges ?? [] };
  }

  @ResolveField(() => WhatIfResult, {
    nullable: true,
    description:
      "The recorded flows of a window whose verdict the plan's policy changes would change (as the `whatIf` query); all zero when the plan changes no policy.",
  })
  @Directive('@requires(fields: "whatIfChanges")')
  whatIf(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Parent() plan: ChangeSetPlanWhatIfOwner,
    @Args('input', { type: () => ChangeSetWhatIfInput }) input: ChangeSetWhatIfInput,
  ): Promise<WhatIfResult> | WhatIfResult {
    if (plan.whatIfChanges.length === 0)
      return {
        evaluated: 0,
        skipped: 0,
        changed: 0,
        newlyDenied: 0,
        newlyAllowed: 0,
        truncated: false,
        flows: [],
        groups: [],
      };
    return this.whatIfs.whatIf(identity.tenantId, {
      changes: plan.whatIfChanges as never,
      from: input.from,
      to: input.to,
      first: input.first,
      clusterId: input.clusterId,
      namespace: input.namespace,
    });
  }
}
