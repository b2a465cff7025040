import { type AuthenticatedIdentity, CurrentIdentity } from '@meshplane/platform';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { HttpRequestConnection, HttpRequestFilter } from './http-request.model.js';
import { HttpRequestsService } from './http-requests.service.js';

@Resolver()
export class HttpRequestsResolver {
  constructor(private readonly httpRequestsService: HttpRequestsService) {}

  @Query(() => HttpRequestConnection, {
    nullable: true,
    description:
      "HTTP requests (L7) that node-level Envoys logged to the tenant's agents, newest first (viewer and up).",
  })
  httpRequests(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('filter', { type: () => HttpRequestFilter, nullable: true }) filter?: HttpRequestFilter,
    @Args('from', {
      type: () => Date,
      nullable: true,
      description: 'Requests starting at or after this time; default and earliest: the retention window.',
    })
    from?: Date,
    @Args('to', { type: () => Date, nullable: true, description: 'Requests starting before this time.' })
    to?: Date,
    @Args('first', { type: () => Int, nullable: true, description: '1 to 1000, default 100.' })
    first?: number,
    @Args('after', { nullable: true, description: 'endCursor of the previous page.' }) after?: string,
  ) {
    return this.httpRequestsService.httpRequests(identity.tenantId, { filter, from, to, first, after });
  }
}
