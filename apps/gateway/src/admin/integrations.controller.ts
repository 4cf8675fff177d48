import { Body, Controller, Delete, Get, GatewayTimeoutException, HttpCode, Param, Patch, Post, Query, Req, UseGuards } from '@nestjs/common';
import { IntegrationsService, IntegrationView, IssuedToken } from '@scimify/integrations';
import { AuditRepository, AuditEventEntity } from '@scimify/persistence';
import { TestConnectionResult } from '@scimify/jobs';
import { FastifyRequest } from 'fastify';
import { requestIdOf } from '../scim/scim-request';
import { AdminAuthGuard } from './admin-auth.guard';
import { CreateIntegrationDto, UpdateIntegrationDto } from './integration.dto';
import { TestConnectionClient } from './test-connection.client';

/** Admin REST API for integrations and their SCIM tokens. */
@Controller('admin/api/integrations')
@UseGuards(AdminAuthGuard)
export class IntegrationsController {
  constructor(
    private readonly integrations: IntegrationsService,
    private readonly audit: AuditRepository,
    private readonly testConnectionClient: TestConnectionClient,
  ) {}

  @Get()
  async list(): Promise<{ integrations: IntegrationView[] }> {
    return { integrations: await this.integrations.list() };
  }

  @Post()
  async create(@Body() body: CreateIntegrationDto, @Req() request: FastifyRequest): Promise<IntegrationView> {
    return this.integrations.create(body, requestIdOf(request));
  }

  @Get(':id')
  async get(@Param('id') id: string): Promise<IntegrationView> {
    return this.integrations.get(id);
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
  async issueToken(@Param('id') id: string, @Req() request: FastifyRequest): Promise<IssuedToken> {
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
    await this.integrations.load(id);

    try {
      return await this.testConnectionClient.test(id);
    } catch {
      throw new GatewayTimeoutException('No worker answered the connection test: check that the worker is running');
    }
  }

  @Get(':id/audit')
  async auditTrail(@Param('id') id: string, @Query('limit') limit?: string): Promise<{ events: AuditEventEntity[] }> {
    await this.integrations.load(id);
    const take = Math.min(Math.max(Number(limit) || 500, 1), 5000);

    return { events: await this.audit.listForIntegration(id, take) };
  }
}
