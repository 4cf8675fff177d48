import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Req, Res, UseGuards } from '@nestjs/common';
import { IntegrationsService } from '@scimify/integrations';
import { ListResponse } from '@scimify/scim';
import { FastifyReply } from 'fastify';
import { ScimAuthGuard } from './scim-auth.guard';
import { requestIdOf, ScimRequest } from './scim-request';
import { etagOf } from './user-view';
import { ScimCallContext, UsersService, WriteResult } from './users.service';

/** SCIM 2.0 Users endpoint of one integration (RFC 7644 §3). */
@Controller('scim/v2/:integrationId/Users')
@UseGuards(ScimAuthGuard)
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly integrations: IntegrationsService,
  ) {}

  @Get()
  async list(@Req() request: ScimRequest, @Query() query: Record<string, unknown>): Promise<ListResponse<Record<string, unknown>>> {
    return this.users.list(this.context(request), query);
  }

  @Get(':id')
  async get(@Req() request: ScimRequest, @Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Record<string, unknown>> {
    return this.respond(reply, await this.users.get(this.context(request), id));
  }

  @Post()
  @HttpCode(201)
  async create(@Req() request: ScimRequest, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<Record<string, unknown>> {
    const result = await this.users.create(this.context(request), body);
    reply.header('Location', (result.resource.meta as { location: string }).location);
    return this.respond(reply, result);
  }

  @Put(':id')
  async replace(
    @Req() request: ScimRequest,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    return this.respond(reply, await this.users.replace(this.context(request), id, body, ifMatch));
  }

  @Patch(':id')
  async patch(
    @Req() request: ScimRequest,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    return this.respond(reply, await this.users.patch(this.context(request), id, body, ifMatch));
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Req() request: ScimRequest, @Param('id') id: string, @Headers('if-match') ifMatch: string | undefined): Promise<void> {
    await this.users.delete(this.context(request), id, ifMatch);
  }

  private respond(reply: FastifyReply, result: WriteResult): Record<string, unknown> {
    reply.header('ETag', etagOf(result.user));
    return result.resource;
  }

  private context(request: ScimRequest): ScimCallContext {
    const integration = request.integration!;
    return { integration, requestId: requestIdOf(request), scimBaseUrl: this.integrations.scimBaseUrl(integration.id) };
  }
}
