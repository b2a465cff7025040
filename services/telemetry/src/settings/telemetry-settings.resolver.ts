import { type AuthenticatedIdentity, CurrentIdentity } from '@meshplane/platform';
import { Query, Resolver } from '@nestjs/graphql';
import { TelemetrySettings } from './telemetry-settings.model.js';
import { TelemetrySettingsService } from './telemetry-settings.service.js';

@Resolver(() => TelemetrySettings)
export class TelemetrySettingsResolver {
  constructor(private readonly settings: TelemetrySettingsService) {}

  @Query(() => TelemetrySettings, { nullable: true, description: "The tenant's telemetry settings." })
  telemetrySettings(@CurrentIdentity() identity: AuthenticatedIdentity) {
    return this.settings.get(identity.tenantId);
  }
}
