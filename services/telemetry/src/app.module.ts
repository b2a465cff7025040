import { PlatformModule } from '@meshplane/platform';
import { Module } from '@nestjs/common';
import { telemetryConfigSchema } from './config.js';
import { telemetryEntities } from './entities.js';
import { ClusterTelemetryResolver } from './flows/cluster-telemetry.resolver.js';
import { ClusterTelemetryOwner } from './flows/flow.model.js';
import { FlowsResolver } from './flows/flows.resolver.js';
import { FlowsService } from './flows/flows.service.js';
import { ComplianceReportService } from './insight/compliance-report.service.js';
import { InsightResolver } from './insight/insight.resolver.js';
import { JsonScalar } from './insight/json.scalar.js';
import { PolicySetClient } from './insight/policy-set.client.js';
import { RecommendationsService } from './insight/recommendations.service.js';
import { ServiceGraphService } from './insight/service-graph.service.js';
import { ThreatSignalsService } from './insight/threat-signals.service.js';
import { WhatIfService } from './insight/what-if.service.js';
import { TelemetrySettingsResolver } from './settings/telemetry-settings.resolver.js';
import { TelemetrySettingsService } from './settings/telemetry-settings.service.js';

@Module({
  imports: [
    PlatformModule.forRoot({
      service: 'telemetry',
      configSchema: telemetryConfigSchema,
      database: { schema: 'telemetry', entities: telemetryEntities },
      graphql: { orphanedTypes: [ClusterTelemetryOwner] },
    }),
  ],
  providers: [
    TelemetrySettingsService,
    TelemetrySettingsResolver,
    FlowsService,
    FlowsResolver,
    ClusterTelemetryResolver,
    PolicySetClient,
    ServiceGraphService,
    ThreatSignalsService,
    RecommendationsService,
    WhatIfService,
    ComplianceReportService,
    InsightResolver,
    JsonScalar,
  ],
})
export class AppModule {}
