import { outboxEntity } from '@meshplane/platform';
import { TelemetrySettingsEntity } from './settings/telemetry-settings.entity.js';

/** Every entity of the `telemetry` schema (the data source and the migration drift check use it). */
export const telemetryEntities = [TelemetrySettingsEntity, outboxEntity('telemetry')];
