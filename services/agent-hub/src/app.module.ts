import { PlatformModule } from '@meshplane/platform';
import { Module } from '@nestjs/common';
import { ConfigSync } from './config/config-sync.js';
import { PoliciesClient } from './config/policies.client.js';
import { agentHubConfigSchema } from './config.js';
import { AgentSocketServer } from './sessions/agent-socket.server.js';
import { ClustersClient } from './sessions/clusters.client.js';
import { SessionRegistry } from './sessions/session-registry.js';
import { TelemetryCursors } from './telemetry/telemetry-cursors.js';
import { TelemetryPuller } from './telemetry/telemetry-puller.js';

@Module({
  imports: [PlatformModule.forRoot({ service: 'agent-hub', configSchema: agentHubConfigSchema })],
  providers: [
    ClustersClient,
    PoliciesClient,
    ConfigSync,
    SessionRegistry,
    AgentSocketServer,
    TelemetryCursors,
    TelemetryPuller,
  ],
})
export class AppModule {}
