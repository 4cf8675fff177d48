import { BadRequestException, Controller, Get, Param, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { IntegrationsService } from '@scimify/integrations';
import { FastifyReply, FastifyRequest } from 'fastify';
import { AdminAuthGuard } from '../admin/admin-auth.guard';
import { parseAuditFilter } from '../admin/audit-filter';
import { AuditPage, AuditQueryService } from '../admin/audit-query.service';
import { auditPage, AuditFormValues } from './audit-page';
import { ConsoleExceptionFilter } from './console-exception.filter';
import { sendPage } from './console-page';
import { csrfTokenOf } from './console-request';
import { timelinePage } from './timeline-page';

const FORM_FIELDS = ['integrationId', 'user', 'action', 'outcome', 'from', 'to'] as const;

/** Console pages of the audit trail and of one user's timeline. */
@Controller('admin/audit')
@UseGuards(AdminAuthGuard)
@UseFilters(ConsoleExceptionFilter)
export class AuditPageController {
  constructor(
    private readonly auditQuery: AuditQueryService,
    private readonly integrations: IntegrationsService,
  ) {}

  @Get()
  async search(@Query() query: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const values = formValues(query);
    let page: AuditPage | null = null;
    let error: string | null = null;

    try {
      page = await this.auditQuery.search(parseAuditFilter(query));
    } catch (failure) {
      if (!(failure instanceof BadRequestException)) throw failure;
      error = failure.message;
    }

    const integrations = await this.integrations.list();
    await sendPage(reply, error ? 400 : 200, auditPage({ csrfToken: csrfTokenOf(request), values, integrations, page, error }));
  }

  @Get('users/:userId')
  async timeline(@Param('userId') userId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const timeline = await this.auditQuery.timeline(userId);
    await sendPage(reply, 200, timelinePage(timeline, csrfTokenOf(request)));
  }
}

function formValues(query: Record<string, unknown>): AuditFormValues {
  const values: AuditFormValues = {};
  for (const field of FORM_FIELDS) {
    const value = query[field];
    if (typeof value === 'string' && value.trim() !== '') values[field] = value.trim();
  }

  return values;
}
