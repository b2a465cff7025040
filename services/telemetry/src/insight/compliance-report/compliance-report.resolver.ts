import { type AuthenticatedIdentity, CurrentIdentity } from '@meshplane/platform';
import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { FROM_ARG, TO_ARG } from '../shared/window.js';
import { ComplianceReport } from './compliance-report.model.js';
import { ComplianceReportService } from './compliance-report.service.js';

@Resolver()
export class ComplianceReportResolver {
  constructor(private readonly compliance: ComplianceReportService) {}

  @Query(() => ComplianceReport, {
    nullable: true,
    description:
      'Flows that crossed a compliance zone in a window, with evidence and a CSV export (viewer and up).',
  })
  complianceReport(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('zoneId', { type: () => ID, description: 'The compliance zone.' }) zoneId: string,
    @Args('from', FROM_ARG) from: Date,
    @Args('to', TO_ARG) to: Date,
  ) {
    return this.compliance.report(identity.tenantId, zoneId, { from, to });
  }
}
