import { CONFIG, TenantDb } from '@meshplane/platform';
import { Inject, Injectable } from '@nestjs/common';
import type { TelemetryConfig } from '../config.js';
import { TelemetrySettingsEntity } from './telemetry-settings.entity.js';
import type { TelemetrySettings } from './telemetry-settings.model.js';

@Injectable()
export class TelemetrySettingsService {
  constructor(
    private readonly db: TenantDb,
    @Inject(CONFIG) private readonly config: TelemetryConfig,
  ) {}

  async get(tenantId: string): Promise<TelemetrySettings> {
    const row = await this.db.tenant(tenantId, (manager) =>
      manager.findOne(TelemetrySettingsEntity, { where: { tenantId } }),
    );
    return row
      ? { retentionDays: row.retentionDays, customised: true }
      : { retentionDays: this.config.DEFAULT_RETENTION_DAYS, customised: false };
  }
}
