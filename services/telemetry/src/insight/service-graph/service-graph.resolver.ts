import { type AuthenticatedIdentity, CurrentIdentity } from '@meshplane/platform';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { FROM_ARG, TO_ARG } from '../shared/window.js';
import { FlowRollupModel, ServiceGraph, ServiceGraphFilter } from './service-graph.model.js';
import { ServiceGraphService } from './service-graph.service.js';

/** The tenant's traffic from the per-minute rollups: the rollups themselves and the service graph. */
@Resolver()
export class ServiceGraphResolver {
  constructor(private readonly graph: ServiceGraphService) {}

  @Query(() => [FlowRollupModel], {
    nullable: true,
    description:
      'Per-minute rollups of flows between workloads, newest first, at most 10,000 (viewer and up).',
  })
  flowRollups(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('from', FROM_ARG) from: Date,
    @Args('to', TO_ARG) to: Date,
    @Args('filter', { type: () => ServiceGraphFilter, nullable: true }) filter?: ServiceGraphFilter,
  ) {
    return this.graph.rollups(identity.tenantId, { from, to, filter });
  }

  @Query(() => ServiceGraph, {
    nullable: true,
    description:
      'Workloads, Services and networks across clusters, and the traffic between them (viewer and up).',
  })
  serviceGraph(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('from', FROM_ARG) from: Date,
    @Args('to', TO_ARG) to: Date,
    @Args('filter', { type: () => ServiceGraphFilter, nullable: true }) filter?: ServiceGraphFilter,
  ) {
    return this.graph.serviceGraph(identity.tenantId, { from, to, filter });
  }
}
