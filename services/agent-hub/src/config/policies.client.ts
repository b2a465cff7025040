import {
  ClusterConfigBatchResponseSchema,
  type ClusterConfigRequest,
  type ClusterConfigResponse,
} from '@meshplane/events';
import { CONFIG, IDENTITY_CODEC, type InternalIdentityCodec, postInternal } from '@meshplane/platform';
import { Inject, Injectable } from '@nestjs/common';
import type { AgentHubConfig } from '../config.js';

/** Asks the policies service for the pushes that bring clusters to their desired config versions. */
@Injectable()
export class PoliciesClient {
  constructor(
    @Inject(CONFIG) private readonly config: AgentHubConfig,
    @Inject(IDENTITY_CODEC) private readonly codec: InternalIdentityCodec,
  ) {}

  /** Answers in request order; throws `ServiceUnavailableError` when the service cannot answer. */
  async clusterConfigs(requests: ClusterConfigRequest[]): Promise<ClusterConfigResponse[]> {
    const { answers } = (await postInternal(this.codec, {
      baseUrl: this.config.POLICIES_INTERNAL_URL,
      path: '/internal/v1/cluster-configs',
      body: { requests },
      schema: ClusterConfigBatchResponseSchema,
      timeoutMs: 10_000,
    }))!;
    if (answers.length !== requests.length)
      throw new Error('the policies service answered a different count');
    return answers;
  }
}
