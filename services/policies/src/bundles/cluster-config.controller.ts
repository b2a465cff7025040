import { ClusterConfigBatchRequestSchema, type ClusterConfigResponse } from '@meshplane/events';
import { InternalEndpoint } from '@meshplane/platform';
import { BadRequestException, Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ClusterConfigsService } from './cluster-configs.service.js';

/** What the agent hub asks when it has sessions to bring up to date. */
@Controller('internal/v1')
export class ClusterConfigController {
  constructor(private readonly configs: ClusterConfigsService) {}

  /** Lookups of any tenants, answered in request order (one transaction per tenant). */
  @Post('cluster-configs')
  @HttpCode(200)
  @InternalEndpoint('agent-hub')
  async clusterConfigs(@Body() body: unknown): Promise<{ answers: ClusterConfigResponse[] }> {
    const parsed = ClusterConfigBatchRequestSchema.safeParse(body);
    if (!parsed.success)
      throw new BadRequestException(`invalid cluster-configs request: ${parsed.error.message}`);
    const { requests } = parsed.data;
    const answers: ClusterConfigResponse[] = new Array(requests.length);
    const byTenant = new Map<string, number[]>();
    requests.forEach((request, index) => {
      byTenant.set(request.tenantId, [...(byTenant.get(request.tenantId) ?? []), index]);
    });
    for (const [tenantId, indexes] of byTenant) {
      const tenantAnswers = await this.configs.pushesFor(
        tenantId,
        indexes.map((index) => requests[index]!),
      );
      indexes.forEach((index, position) => {
        answers[index] = tenantAnswers[position]!;
      });
    }
    return { answers };
  }
}
