import { JsonScalar, PlatformModule } from '@meshplane/platform';
import { Module } from '@nestjs/common';
import { telemetryConfigSchema } from './config.js';
import { telemetryEntities } from './entities.js';
import { ClusterTelemetryResolver } from './flows/cluster-telemetry.resolver.js';
import { ClusterTelemetryOwner } from './flows/flow.model.js';
import { FlowsResolver } from './flows/flows.resolver.js';
import { FlowsService } from './flows/flows.service.js';
import { HttpRequestsResolver } from './http/http-requests.resolver.js';
import { HttpRequestsService } from './http/http-requests.service.js';
// The subgraph's SDL lists GraphQL types in the order their classes load: the insight features'
// types load in this order so that schema.graphql keeps its order.
import './insight/service-graph/service-graph.model.js';
import './insight/threat-signals/threat-signals.model.js';
import './insight/recommendations/recommendations.model.js';
import './insight/what-if/what-if.model.js';
import './insight/compliance-report/compliance-report.model.js';
import { ComplianceReportResolver } from './insight/compliance-report/compliance-report.resolver.js';
import { ComplianceReportService } from './insight/compliance-report/compliance-report.service.js';
import { RecommendationsResolver } from './insight/recommendations/recommendations.resolver.js';
import { RecommendationsService } from './insight/recommendations/recommendations.service.js';
import { ServiceGraphResolver } from './insight/service-graph/service-graph.resolver.js';
import { ServiceGraphService } from './insight/service-graph/service-graph.service.js';

import { PolicySetClient } from './insight/shared/policy-set.client.js';
import { ThreatSignalsResolver } from './insight/threat-signals/threat-signals.resolver.js';
import { ThreatSignalsService } from './insight/threat-signals/threat-signals.service.js';
import { ChangeSetPlanWhatIfOwner } from './insight/what-if/change-set-what-if.model.js';
import { ChangeSetWhatIfResolver } from './insight/what-if/change-set-what-if.resolver.js';
import { WhatIfResolver } from './insight/what-if/what-if.resolver.js';
import { WhatIfService } from './insight/what-if/what-if.service.js';
import { TelemetrySettingsResolver } from './settings/telemetry-settings.resolver.js';
import { TelemetrySettingsService } from './settings/telemetry-settings.service.js';

@Module({
  imports: [
    PlatformModule.forRoot({
      service: 'telemetry',
      configSchema: telemetryConfigSchema,
      database: { schema: 'telemetry', entities: telemetryEntities },
      graphql: { orphanedTypes: [ClusterTelemetryOwner, ChangeSetPlanWhatIfOwner] },
    }),
  ],
  providers: [
    TelemetrySettingsService,
    TelemetrySettingsResolver,
    FlowsService,
    FlowsResolver,
    ClusterTelemetryResolver,
    HttpRequestsService,
    HttpRequestsResolver,
    PolicySetClient,
    ServiceGraphService,
    ServiceGraphResolver,
    ThreatSignalsService,
    ThreatSignalsResolver,
    RecommendationsService,
    RecommendationsResolver,
    WhatIfService,
    WhatIfResolver,
    ChangeSetWhatIfResolver,
    ComplianceReportService,
    ComplianceReportResolver,
    JsonScalar,
  ],
})
export class AppModule {}
