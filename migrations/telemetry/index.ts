import { CreateTelemetry1795620463674 } from './1795620463674-CreateTelemetry.js';

/** The telemetry schema's migrations, oldest first. */
export const telemetryMigrations = [CreateTelemetry1795620463674];
