import { type AuthenticatedIdentity, CurrentIdentity } from '@meshplane/platform';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { FROM_ARG, TO_ARG } from '../shared/window.js';
import { ThreatSignals } from './threat-signals.model.js';
import { ThreatSignalsService } from './threat-signals.service.js';

@Resolver()
export class ThreatSignalsResolver {
  constructor(private readonly threats: ThreatSignalsService) {}

  @Query(() => ThreatSignals, {
    nullable: true,
    description:
      'Spikes of denied flows per workload and allowed flows across compliance zones (viewer and up).',
  })
  threatSignals(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('from', FROM_ARG) from: Date,
    @Args('to', TO_ARG) to: Date,
  ) {
    return this.threats.threatSignals(identity.tenantId, { from, to });
  }
}
