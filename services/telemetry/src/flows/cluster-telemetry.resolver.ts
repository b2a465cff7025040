import { type AuthenticatedIdentity, CurrentIdentity } from '@meshplane/platform';
import { Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { ClusterFlowTelemetry, ClusterTelemetryOwner } from './flow.model.js';
import { FlowsService } from './flows.service.js';

@Resolver(() => ClusterTelemetryOwner)
export class ClusterTelemetryResolver {
  constructor(private readonly flows: FlowsService) {}

  @ResolveReference()
  resolveReference(reference: { id: string }): ClusterTelemetryOwner {
    return { id: reference.id } as ClusterTelemetryOwner;
  }

  @ResolveField(() => ClusterFlowTelemetry)
  flowTelemetry(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Parent() cluster: ClusterTelemetryOwner,
  ): Promise<ClusterFlowTelemetry> {
    // Tenant-scoped read: another tenant's cluster id simply has no drops here.
    return this.flows.clusterTelemetry(identity.tenantId, cluster.id);
  }
}
