import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Req, Res, UseGuards } from '@nestjs/common';
import { IntegrationsService, IntegrationView, IssuedToken } from '@scimify/integrations';
import { AuditEventEntity, AuditRepository, DryRunRepository, DryRunState, HeldRemoval } from '@scimify/persistence';
import { TestConnectionResult } from '@scimify/jobs';
import { FastifyReply, FastifyRequest } from 'fastify';
import { requestIdOf } from '../scim/scim-request';
import { AdminAuthGuard } from './admin-auth.guard';
import { CreateIntegrationDto, UpdateIntegrationDto } from './integration.dto';
import { IntegrationStatusService, IntegrationWithStatus } from './integration-status.service';
import { ConnectionTestService } from './connection-test.service';
import { HeldRemovalsDecision, HeldRemovalsService } from './held-removals.service';
import { RetriedUser, UserRetryService } from './user-retry.service';

/** Admin REST API for integrations and their SCIM tokens. */
@Controller('admin/api/integrations')
@UseGuards(AdminAuthGuard)
export class IntegrationsController {
  constructor(
    private readonly integrations: IntegrationsService,
    private readonly audit: AuditRepository,
    private readonly connectionTest: ConnectionTestService,
    private readonly status: IntegrationStatusService,
    private readonly userRetry: UserRetryService,
    private readonly heldRemovals: HeldRemovalsService,
    private readonly dryRun: DryRunRepository,
  ) {}

  @Get()
  async list(): Promise<{ integrations: IntegrationWithStatus[] }> {
    return { integrations: await this.status.withStatus(await this.integrations.list()) };
  }

  @Post()
  async create(@Body() body: CreateIntegrationDto, @Req() request: FastifyRequest): Promise<IntegrationView> {
    return this.integrations.create(body, requestIdOf(request));
  }

  @Get(':id')
  async get(@Param('id') id: string): Promise<IntegrationWithStatus> {
    const [integration] = await this.status.withStatus([await this.integrations.get(id)]);
    return integration;
  }

  @Patch(':id')
  async update(@Param('id') id: string, @Body() body: UpdateIntegrationDto, @Req() request: FastifyRequest): Promise<IntegrationView> {
    return this.integrations.update(id, body, requestIdOf(request));
  }

  @Post(':id/enable')
  @HttpCode(200)
  async enable(@Param('id') id: string, @Req() request: FastifyRequest): Promise<IntegrationView> {
    return this.integrations.setEnabled(id, true, requestIdOf(request));
  }

  @Post(':id/disable')
  @HttpCode(200)
  async disable(@Param('id') id: string, @Req() request: FastifyRequest): Promise<IntegrationView> {
    return this.integrations.setEnabled(id, false, requestIdOf(request));
  }

  /** Issues a SCIM token. The response is the only place the token is ever shown. */
  @Post(':id/tokens')
  async issueToken(@Param('id') id: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<IssuedToken> {
    reply.header('Cache-Control', 'no-store');
    return this.integrations.issueToken(id, requestIdOf(request));
  }

  @Delete(':id/tokens/:tokenId')
  @HttpCode(204)
  async revokeToken(@Param('id') id: string, @Param('tokenId') tokenId: string, @Req() request: FastifyRequest): Promise<void> {
    await this.integrations.revokeToken(id, tokenId, requestIdOf(request));
  }

  @Post(':id/test-connection')
  @HttpCode(200)
  async testConnection(@Param('id') id: string): Promise<TestConnectionResult> {
    return this.connectionTest.test(id);
  }

  /** Enqueues the user's reconcile again after a failure; see UserRetryService. */
  @Post(':id/users/:userId/retry')
  @HttpCode(202)
  async retryUser(@Param('id') id: string, @Param('userId') userId: string, @Req() request: FastifyRequest): Promise<RetriedUser> {
    await this.integrations.load(id);
    return this.userRetry.retry(id, userId, requestIdOf(request));
  }

  @Get(':id/held-removals')
  async listHeldRemovals(@Param('id') id: string): Promise<{ heldRemovals: HeldRemoval[] }> {
    await this.integrations.load(id);
    return { heldRemovals: await this.heldRemovals.list(id) };
  }

  /** Applies held removals despite the mass-removal limits; the body may select users with `userIds`. */
  @Post(':id/held-removals/release')
  @HttpCode(202)
  async releaseHeldRemovals(@Param('id') id: string, @Body() body: unknown, @Req() request: FastifyRequest): Promise<HeldRemovalsDecision> {
    await this.integrations.load(id);
    return this.heldRemovals.release(id, selectedUserIds(body), requestIdOf(request));
  }

  /** Drops held removals and keeps the users in the team; the body may select users with `userIds`. */
  @Post(':id/held-removals/discard')
  @HttpCode(200)
  async discardHeldRemovals(@Param('id') id: string, @Body() body: unknown, @Req() request: FastifyRequest): Promise<HeldRemovalsDecision> {
    await this.integrations.load(id);
    return this.heldRemovals.discard(id, selectedUserIds(body), requestIdOf(request));
  }

  @Get(':id/dry-run')
  async getDryRun(@Param('id') id: string): Promise<DryRunState> {
    await this.integrations.load(id);
    return { dryRun: await this.dryRun.isEnabled(id) };
  }

  /** Switches dry run on or off with `{ "dryRun": true | false }`. */
  @Put(':id/dry-run')
  async setDryRun(@Param('id') id: string, @Body() body: unknown, @Req() request: FastifyRequest): Promise<DryRunState> {
    const dryRun = typeof body === 'object' && body !== null ? (body as { dryRun?: unknown }).dryRun : undefined;
    if (typeof dryRun !== 'boolean') throw new BadRequestException('dryRun must be true or false, for example {"dryRun": true}');

    await this.integrations.load(id);
    return this.dryRun.set(id, dryRun, requestIdOf(request));
  }

  @Get(':id/audit')
  async auditTrail(@Param('id') id: string, @Query('limit') limit?: string): Promise<{ events: AuditEventEntity[] }> {
    await this.integrations.load(id);
    const take = Math.min(Math.max(Number(limit) || 500, 1), 5000);

    return { events: await this.audit.listForIntegration(id, take) };
  }
}

/** Reads the optional `userIds` of a held-removals decision; without it, the decision covers every held removal. */
function selectedUserIds(body: unknown): string[] | undefined {
  const userIds = typeof body === 'object' && body !== null ? (body as { userIds?: unknown }).userIds : undefined;
  if (userIds === undefined) return undefined;
  if (!Array.isArray(userIds) || !userIds.every((userId) => typeof userId === 'string')) {
    throw new BadRequestException('userIds must be an array of user ids (UUIDs); omit it to select every held removal');
  }

  return userIds as string[];
}
