import { PlatformModule } from '@meshplane/platform';
import { Module } from '@nestjs/common';
import { agentHubConfigSchema } from './config.js';
import { AgentSocketServer } from './sessions/agent-socket.server.js';
import { ClustersClient } from './sessions/clusters.client.js';
import { SessionRegistry } from './sessions/session-registry.js';

@Module({
  imports: [PlatformModule.forRoot({ service: 'agent-hub', configSchema: agentHubConfigSchema })],
  providers: [ClustersClient, SessionRegistry, AgentSocketServer],
})
export class AppModule {}
