import { type AuthenticatedIdentity, CurrentIdentity } from '@meshplane/platform';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { FlowConnection, FlowFilter } from './flow.model.js';
import { FlowsService } from './flows.service.js';

@Resolver()
export class FlowsResolver {
  constructor(private readonly flowsService: FlowsService) {}

  @Query(() => FlowConnection, {
    nullable: true,
    description: "Flows reported by the tenant's clusters, newest first (viewer and up).",
  })
  flows(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('filter', { type: () => FlowFilter, nullable: true }) filter?: FlowFilter,
    @Args('from', {
      type: () => Date,
      nullable: true,
      description: 'Flows starting at or after this time; default and earliest: the retention window.',
    })
    from?: Date,
    @Args('to', { type: () => Date, nullable: true, description: 'Flows starting before this time.' })
    to?: Date,
    @Args('first', { type: () => Int, nullable: true, description: '1 to 1000, default 100.' })
    first?: number,
    @Args('after', { nullable: true, description: 'endCursor of the previous page.' }) after?: string,
  ) {
    return this.flowsService.flows(identity.tenantId, { filter, from, to, first, after });
  }
}
