import { type PolicySet, PolicySetSchema } from '@meshplane/events';
import {
  CONFIG,
  IDENTITY_CODEC,
  type InternalIdentityCodec,
  postInternal,
  ServiceUnavailableError,
} from '@meshplane/platform';
import { Inject, Injectable } from '@nestjs/common';
import type { TelemetryConfig } from '../../config.js';
import { insightError } from './insight.errors.js';

/**
 * Reads a tenant's policy set (tiers, policies, the compliance tier), clusters and compliance
 * zones from the policies service, which owns them, through its internal `policy-set` endpoint
 * with this service's credential. An unreachable service is SERVICE_UNAVAILABLE to the client.
 */
@Injectable()
export class PolicySetClient {
  constructor(
    @Inject(CONFIG) private readonly config: TelemetryConfig,
    @Inject(IDENTITY_CODEC) private readonly codec: InternalIdentityCodec,
  ) {}

  async policySet(tenantId: string): Promise<PolicySet> {
    try {
      return (await postInternal(this.codec, {
        baseUrl: this.config.POLICIES_INTERNAL_URL,
        path: '/internal/v1/policy-set',
        body: { tenantId },
        schema: PolicySetSchema,
        timeoutMs: 15_000,
      }))!;
    } catch (error) {
      if (error instanceof ServiceUnavailableError) throw insightError('POLICIES_UNAVAILABLE');
      throw error;
    }
  }
}
