import { AppError, CONFIG } from '@meshplane/platform';
import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AgentCredentialsService } from '../agents/agent-credentials.service.js';
import type { ClustersConfig } from '../config.js';
import { renderAgentManifest } from './manifest.js';

/**
 * `GET /install/<token>.yaml`: the one-line install's manifest; never a manifest for a bad token.
 * Once the token was exchanged, the same URL serves the manifest without the bootstrap Secret, so
 * running the install command again re-applies the agent, or upgrades it to `AGENT_IMAGE`.
 */
@Controller('install')
export class InstallController {
  constructor(
    private readonly credentials: AgentCredentialsService,
    @Inject(CONFIG) private readonly config: ClustersConfig,
  ) {}

  @Get(':file')
  async manifest(@Param('file') file: string, @Res() res: Response) {
    res.setHeader('Cache-Control', 'no-store');
    const token = file.endsWith('.yaml') ? file.slice(0, -'.yaml'.length) : file;
    try {
      const { cluster, used } = await this.credentials.checkInstallToken(token);
      const body = renderAgentManifest({
        clusterId: cluster.id,
        clusterName: cluster.name,
        ...(used ? {} : { bootstrapToken: token }),
        hubUrl: this.config.AGENT_HUB_PUBLIC_URL,
        apiUrl: this.config.PUBLIC_BASE_URL,
        image: this.config.AGENT_IMAGE,
      });
      res.status(200).type('application/yaml').send(body);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const why =
        'this install token is unknown or has expired; run rotateInstallToken for a new install command';
      res.status(404).type('application/yaml').send(`# Meshplane: ${why}\n`);
    }
  }
}
