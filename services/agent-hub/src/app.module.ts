import { PlatformModule } from '@meshplane/platform';
import { Module } from '@nestjs/common';
import { agentHubConfigSchema } from './config.js';
import { AgentSocketServer } from './sessions/agent-socket.server.js';

@Module({
  imports: [PlatformModule.forRoot({ service: 'agent-hub', configSchema: agentHubConfigSchema })],
  providers: [AgentSocketServer],
})
export class AppModule {}
