import { Controller, Get, Param, Query, Res, UseGuards } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { AdminAuthGuard } from './admin-auth.guard';
import { parseAuditFilter } from './audit-filter';
import { AuditPage, AuditQueryService, UserTimeline } from './audit-query.service';

/** Admin REST API of the audit trail: search, CSV export and one user's timeline. */
@Controller('admin/api')
@UseGuards(AdminAuthGuard)
export class AuditController {
  constructor(private readonly auditQuery: AuditQueryService) {}

  /** Filters: integrationId, user (userName, email or SCIM id), action, outcome, from, to, before, limit. Newest first. */
  @Get('audit')
  async search(@Query() query: Record<string, unknown>): Promise<AuditPage> {
    return this.auditQuery.search(parseAuditFilter(query));
  }

  /** Exports the events that `audit` would return, without its page limit, as a CSV download. */
  @Get('audit.csv')
  async exportCsv(@Query() query: Record<string, unknown>, @Res() reply: FastifyReply): Promise<void> {
    const filter = parseAuditFilter({ ...query, limit: undefined, before: undefined });
    const csv = await this.auditQuery.exportCsv(filter);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');

    await reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="scimify-audit-${stamp}.csv"`)
      .header('Cache-Control', 'no-store')
      .send(csv);
  }

  @Get('users/:userId/timeline')
  async timeline(@Param('userId') userId: string): Promise<UserTimeline> {
    return this.auditQuery.timeline(userId);
  }
}
