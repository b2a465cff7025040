import { CreateTelemetry1795620463674 } from './1795620463674-CreateTelemetry.js';
import { CreateFlows1795630201700 } from './1795630201700-CreateFlows.js';
import { CreateFlowRollups1795631305378 } from './1795631305378-CreateFlowRollups.js';
import { CreateFlowDrops1795641000000 } from './1795641000000-CreateFlowDrops.js';
import { Outbox1796417913392 } from './1796417913392-Outbox.js';
import { CreateHttpRequests1796418758662 } from './1796418758662-CreateHttpRequests.js';
import { CreateHttpRollups1796419528763 } from './1796419528763-CreateHttpRollups.js';

/** The telemetry schema's migrations, oldest first. */
export const telemetryMigrations = [
  CreateTelemetry1795620463674,
  CreateFlows1795630201700,
  CreateFlowRollups1795631305378,
  CreateFlowDrops1795641000000,
  Outbox1796417913392,
  CreateHttpRequests1796418758662,
  CreateHttpRollups1796419528763,
];
