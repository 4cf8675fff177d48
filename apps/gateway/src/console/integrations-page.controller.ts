import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { IntegrationErrorCode, IntegrationException, IntegrationsService } from '@scimify/integrations';
import { DryRunRepository } from '@scimify/persistence';
import { FastifyReply, FastifyRequest } from 'fastify';
import { requestIdOf } from '../scim/scim-request';
import { AdminAuthGuard } from '../admin/admin-auth.guard';
import { ConnectionTestService } from '../admin/connection-test.service';
import { FormReplayService } from '../admin/form-replay.service';
import { HeldRemovalsService } from '../admin/held-removals.service';
import { IntegrationStatusService } from '../admin/integration-status.service';
import { UserRetryService } from '../admin/user-retry.service';
import { ConsoleExceptionFilter } from './console-exception.filter';
import { redirect, sendPage } from './console-page';
import { csrfTokenOf, formField } from './console-request';
import { integrationPage, IntegrationPageModel, NoticeName, NOTICES } from './integration-page';
import { integrationsPage } from './integrations-page';
import { newIntegrationPage } from './new-integration-page';

type Form = Record<string, unknown> | undefined;

const FAILED_USERS_SHOWN = 50;

/** Console pages of integrations. Every form posts here and ends in a redirect or a page. */
@Controller('admin/integrations')
@UseGuards(AdminAuthGuard)
@UseFilters(ConsoleExceptionFilter)
export class IntegrationsPageController {
  constructor(
    private readonly integrations: IntegrationsService,
    private readonly status: IntegrationStatusService,
    private readonly connectionTest: ConnectionTestService,
    private readonly userRetry: UserRetryService,
    private readonly formReplay: FormReplayService,
    private readonly heldRemovals: HeldRemovalsService,
    private readonly dryRun: DryRunRepository,
  ) {}

  @Get()
  async list(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const integrations = await this.status.withStatus(await this.integrations.list());
    const heldRemovals = await this.heldRemovals.count(integrations.map((integration) => integration.id));
    await sendPage(reply, 200, integrationsPage(integrations, csrfTokenOf(request), heldRemovals));
  }

  @Get('new')
  async newForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await sendPage(reply, 200, newIntegrationPage(csrfTokenOf(request), { displayName: '', transferEmail: '' }, null));
  }

  @Post()
  async create(@Body() form: Form, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const input = { displayName: formField(form, 'displayName') ?? '', apiKey: formField(form, 'apiKey') ?? '', transferEmail: formField(form, 'transferEmail') || null };

    try {
      const created = await this.integrations.create(input, requestIdOf(request));
      await redirect(reply, `/admin/integrations/${created.id}?notice=created`);
    } catch (error) {
      if (!isInvalidInput(error)) throw error;
      await sendPage(reply, 400, newIntegrationPage(csrfTokenOf(request), { displayName: input.displayName, transferEmail: input.transferEmail ?? '' }, error.message));
    }
  }

  @Get(':id')
  async show(@Param('id') id: string, @Query('notice') notice: string | undefined, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const model = await this.model(id, request, { notice: isNotice(notice) ? notice : null });
    await sendPage(reply, 200, integrationPage(model));
  }

  /** Saves the edit form; an empty API key field keeps the stored key. */
  @Post(':id')
  async update(@Param('id') id: string, @Body() form: Form, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const apiKey = formField(form, 'apiKey');
    const input = { displayName: formField(form, 'displayName'), apiKey: apiKey ? apiKey : undefined, transferEmail: formField(form, 'transferEmail') };

    try {
      await this.integrations.update(id, input, requestIdOf(request));
      await redirect(reply, `/admin/integrations/${id}?notice=saved`);
    } catch (error) {
      if (!isInvalidInput(error)) throw error;
      await sendPage(reply, 400, integrationPage(await this.model(id, request, { formError: error.message })));
    }
  }

  @Post(':id/test-connection')
  async testConnection(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const testResult = await this.connectionTest.test(id);
    await sendPage(reply, 200, integrationPage(await this.model(id, request, { testResult })));
  }

  @Post(':id/enable')
  async enable(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.integrations.setEnabled(id, true, requestIdOf(request));
    await redirect(reply, `/admin/integrations/${id}?notice=enabled`);
  }

  @Post(':id/disable')
  async disable(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.integrations.setEnabled(id, false, requestIdOf(request));
    await redirect(reply, `/admin/integrations/${id}?notice=disabled`);
  }

  /**
   * Issues a token and shows it in this response only; the page is not cached. Submitting the
   * same form again (a reload) issues no second token, which could revoke a token still in use.
   */
  @Post(':id/tokens')
  async issueToken(@Param('id') id: string, @Body() form: Form, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const formKey = formField(form, 'formKey');
    await this.integrations.load(id);

    if (formKey && !(await this.formReplay.claim(formKey))) {
      return sendPage(reply, 409, integrationPage(await this.model(id, request, { notice: 'alreadyIssued' })));
    }

    const issuedToken = await this.integrations.issueToken(id, requestIdOf(request));
    await sendPage(reply, 200, integrationPage(await this.model(id, request, { issuedToken })));
  }

  @Post(':id/tokens/:tokenId/revoke')
  async revokeToken(@Param('id') id: string, @Param('tokenId') tokenId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.integrations.revokeToken(id, tokenId, requestIdOf(request));
    await redirect(reply, `/admin/integrations/${id}?notice=revoked`);
  }

  @Post(':id/users/:userId/retry')
  async retryUser(@Param('id') id: string, @Param('userId') userId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.integrations.load(id);
    await this.userRetry.retry(id, userId, requestIdOf(request));
    await redirect(reply, `/admin/integrations/${id}?notice=retried`);
  }

  @Post(':id/held-removals/release')
  async releaseHeldRemovals(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.integrations.load(id);
    await this.heldRemovals.release(id, undefined, requestIdOf(request));
    await redirect(reply, `/admin/integrations/${id}?notice=removalsReleased`);
  }

  @Post(':id/held-removals/discard')
  async discardHeldRemovals(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.integrations.load(id);
    await this.heldRemovals.discard(id, undefined, requestIdOf(request));
    await redirect(reply, `/admin/integrations/${id}?notice=removalsDiscarded`);
  }

  @Post(':id/dry-run')
  async setDryRun(@Param('id') id: string, @Body() form: Form, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const dryRun = formField(form, 'dryRun') === 'on';

    await this.integrations.load(id);
    await this.dryRun.set(id, dryRun, requestIdOf(request));
    await redirect(reply, `/admin/integrations/${id}?notice=${dryRun ? 'dryRunOn' : 'dryRunOff'}`);
  }

  private async model(id: string, request: FastifyRequest, extra: Partial<IntegrationPageModel>): Promise<IntegrationPageModel> {
    const [integration] = await this.status.withStatus([await this.integrations.get(id)]);
    const failedUsers = await this.status.failedUsers(id, FAILED_USERS_SHOWN);
    const dryRun = await this.dryRun.isEnabled(id);

    return { integration, failedUsers, dryRun, csrfToken: csrfTokenOf(request), tokenFormKey: this.formReplay.newKey(), ...extra };
  }
}

function isInvalidInput(error: unknown): error is IntegrationException {
  return error instanceof IntegrationException && error.code === IntegrationErrorCode.InvalidInput;
}

function isNotice(value: string | undefined): value is NoticeName {
  return value !== undefined && Object.prototype.hasOwnProperty.call(NOTICES, value);
}
