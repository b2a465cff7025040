import { type GraphQLRequestContext, PerRequest, tenantOf } from '@meshplane/platform';
import { Context, Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { ClusterFlowTelemetry, ClusterTelemetryOwner } from './flow.model.js';
import { FlowsService } from './flows.service.js';

@Resolver(() => ClusterTelemetryOwner)
export class ClusterTelemetryResolver {
  /** `flowTelemetry` of every cluster of one request in one query. */
  private readonly perRequest = new PerRequest<GraphQLRequestContext, string, ClusterFlowTelemetry>(
    // Tenant-scoped read: another tenant's cluster id simply has no drops here.
    (request, clusterIds) => this.flows.clusterTelemetry(tenantOf(request), clusterIds),
  );

  constructor(private readonly flows: FlowsService) {}

  @ResolveReference()
  resolveReference(reference: { id: string }): ClusterTelemetryOwner {
    return { id: reference.id } as ClusterTelemetryOwner;
  }

  @ResolveField(() => ClusterFlowTelemetry)
  flowTelemetry(
    @Parent() cluster: ClusterTelemetryOwner,
    @Context() request: GraphQLRequestContext,
  ): Promise<ClusterFlowTelemetry> {
    return this.perRequest.load(request, cluster.id);
  }
}
