import { type AuthenticatedIdentity, CurrentIdentity } from '@meshplane/platform';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { WhatIfInput, WhatIfResult } from './what-if.model.js';
import { WhatIfService } from './what-if.service.js';

@Resolver()
export class WhatIfResolver {
  constructor(private readonly whatIfs: WhatIfService) {}

  @Query(() => WhatIfResult, {
    nullable: true,
    description:
      'The recorded flows whose verdict a proposed policy set would change, with both traces (viewer and up).',
  })
  whatIf(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('input', { type: () => WhatIfInput }) input: WhatIfInput,
  ) {
    return this.whatIfs.whatIf(identity.tenantId, input);
  }
}
