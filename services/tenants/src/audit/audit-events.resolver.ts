import { type AuthenticatedIdentity, CurrentIdentity, RequireRole } from '@meshplane/platform';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX, AuditEventFilter, AuditEventPage } from './audit-event.model.js';
import { AuditEventsService } from './audit-events.service.js';

@Resolver()
export class AuditEventsResolver {
  constructor(private readonly events: AuditEventsService) {}

  @RequireRole('admin')
  @Query(() => AuditEventPage, { nullable: true, description: "The tenant's audit log, newest first." })
  auditEvents(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('first', {
      type: () => Int,
      defaultValue: AUDIT_PAGE_DEFAULT,
      description: `Page size (1–${AUDIT_PAGE_MAX}).`,
    })
    first: number,
    @Args('after', { type: () => String, nullable: true, description: 'endCursor of the previous page.' })
    after: string | null,
    @Args('filter', { type: () => AuditEventFilter, nullable: true, description: 'Conditions to match.' })
    filter: AuditEventFilter | null,
  ) {
    return this.events.page(identity, first, after, filter);
  }
}
