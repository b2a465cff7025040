import { PlatformModule } from '@meshplane/platform';
import { Module } from '@nestjs/common';
import { telemetryConfigSchema } from './config.js';
import { telemetryEntities } from './entities.js';
import { FlowsResolver } from './flows/flows.resolver.js';
import { FlowsService } from './flows/flows.service.js';
import { TelemetrySettingsResolver } from './settings/telemetry-settings.resolver.js';
import { TelemetrySettingsService } from './settings/telemetry-settings.service.js';

@Module({
  imports: [
    PlatformModule.forRoot({
      service: 'telemetry',
      configSchema: telemetryConfigSchema,
      database: { schema: 'telemetry', entities: telemetryEntities },
      graphql: true,
    }),
  ],
  providers: [TelemetrySettingsService, TelemetrySettingsResolver, FlowsService, FlowsResolver],
})
export class AppModule {}
