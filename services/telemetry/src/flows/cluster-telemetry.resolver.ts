import { type AuthenticatedIdentity, CurrentIdentity, PerRequest } from '@meshplane/platform';
import { Context, Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { ClusterFlowTelemetry, ClusterTelemetryOwner } from './flow.model.js';
import { FlowsService } from './flows.service.js';

@Resolver(() => ClusterTelemetryOwner)
export class ClusterTelemetryResolver {
  /** `flowTelemetry` of every cluster of one request in one query. */
  private readonly perRequest = new PerRequest<
    object,
    { tenantId: string; clusterId: string },
    ClusterFlowTelemetry
  >(
    // Tenant-scoped read: another tenant's cluster id simply has no drops here.
    (_request, keys) =>
      this.flows.clusterTelemetry(
        keys[0]!.tenantId,
        keys.map((key) => key.clusterId),
      ),
  );

  constructor(private readonly flows: FlowsService) {}

  @ResolveReference()
  resolveReference(reference: { id: string }): ClusterTelemetryOwner {
    return { id: reference.id } as ClusterTelemetryOwner;
  }

  @ResolveField(() => ClusterFlowTelemetry)
  flowTelemetry(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Parent() cluster: ClusterTelemetryOwner,
    @Context() request: object,
  ): Promise<ClusterFlowTelemetry> {
    return this.perRequest.load(request, { tenantId: identity.tenantId, clusterId: cluster.id });
  }
}
