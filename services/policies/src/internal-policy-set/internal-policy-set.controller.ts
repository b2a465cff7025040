import { type PolicySet, PolicySetRequestSchema } from '@meshplane/events';
import { InternalEndpoint } from '@meshplane/platform';
import { BadRequestException, Body, Controller, HttpCode, Post } from '@nestjs/common';
import { InternalPolicySetService } from './internal-policy-set.service.js';

/** What the telemetry service asks to evaluate recorded flows (what-if, recommendations, compliance). */
@Controller('internal/v1')
export class InternalPolicySetController {
  constructor(private readonly policySets: InternalPolicySetService) {}

  /** The tenant's policy set, clusters and compliance zones (see {@link InternalPolicySetService}). */
  @Post('policy-set')
  @HttpCode(200)
  @InternalEndpoint('telemetry')
  async policySet(@Body() body: unknown): Promise<PolicySet> {
    const parsed = PolicySetRequestSchema.safeParse(body);
    if (!parsed.success) throw new BadRequestException(`invalid policy-set request: ${parsed.error.message}`);
    return this.policySets.policySet(parsed.data.tenantId);
  }
}
