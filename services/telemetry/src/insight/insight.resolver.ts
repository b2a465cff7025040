import { type AuthenticatedIdentity, CurrentIdentity } from '@meshplane/platform';
import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { ComplianceReportService } from './compliance-report.service.js';
import {
  ComplianceReport,
  FlowRollupModel,
  PolicyRecommendation,
  RecommendPolicyInput,
  ServiceGraph,
  ServiceGraphFilter,
  ThreatSignals,
  WhatIfInput,
  WhatIfResult,
} from './insight.model.js';
import { RecommendationsService } from './recommendations.service.js';
import { ServiceGraphService } from './service-graph.service.js';
import { ThreatSignalsService } from './threat-signals.service.js';
import { WhatIfService } from './what-if.service.js';

const FROM = { type: () => Date, description: 'Start of the window (inclusive).' } as const;
const TO = {
  type: () => Date,
  description: 'End of the window (exclusive); at most 31 days after from.',
} as const;

/** Insight over recorded flows: rollups, service graph, threat signals, recommendations, what-if, compliance. */
@Resolver()
export class InsightResolver {
  constructor(
    private readonly graph: ServiceGraphService,
    private readonly threats: ThreatSignalsService,
    private readonly recommendations: RecommendationsService,
    private readonly whatIfs: WhatIfService,
    private readonly compliance: ComplianceReportService,
  ) {}

  @Query(() => [FlowRollupModel], {
    description:
      'Per-minute rollups of flows between workloads, newest first, at most 10,000 (viewer and up).',
  })
  flowRollups(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('from', FROM) from: Date,
    @Args('to', TO) to: Date,
    @Args('filter', { type: () => ServiceGraphFilter, nullable: true }) filter?: ServiceGraphFilter,
  ) {
    return this.graph.rollups(identity.tenantId, { from, to, filter });
  }

  @Query(() => ServiceGraph, {
    description:
      'Workloads, Services and networks across clusters, and the traffic between them (viewer and up).',
  })
  serviceGraph(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('from', FROM) from: Date,
    @Args('to', TO) to: Date,
    @Args('filter', { type: () => ServiceGraphFilter, nullable: true }) filter?: ServiceGraphFilter,
  ) {
    return this.graph.serviceGraph(identity.tenantId, { from, to, filter });
  }

  @Query(() => ThreatSignals, {
    description:
      'Spikes of denied flows per workload and allowed flows across compliance zones (viewer and up).',
  })
  threatSignals(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('from', FROM) from: Date,
    @Args('to', TO) to: Date,
  ) {
    return this.threats.threatSignals(identity.tenantId, { from, to });
  }

  @Query(() => PolicyRecommendation, {
    description:
      'A least-privilege staged policy for a namespace of a cluster, allowing exactly the ingress observed allowed (viewer and up; creating it needs editor).',
  })
  recommendPolicy(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('input', { type: () => RecommendPolicyInput }) input: RecommendPolicyInput,
  ) {
    return this.recommendations.recommend(identity.tenantId, input);
  }

  @Query(() => WhatIfResult, {
    description:
      'The recorded flows whose verdict a proposed policy set would change, with both traces (viewer and up).',
  })
  whatIf(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('input', { type: () => WhatIfInput }) input: WhatIfInput,
  ) {
    return this.whatIfs.whatIf(identity.tenantId, input);
  }

  @Query(() => ComplianceReport, {
    description:
      'Flows that crossed a compliance zone in a window, with evidence and a CSV export (viewer and up).',
  })
  complianceReport(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('zoneId', { type: () => ID, description: 'The compliance zone.' }) zoneId: string,
    @Args('from', FROM) from: Date,
    @Args('to', TO) to: Date,
  ) {
    return this.compliance.report(identity.tenantId, zoneId, { from, to });
  }
}
