import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Req, Res, UseGuards } from '@nestjs/common';
import { IntegrationsService } from '@scimify/integrations';
import { ListResponse } from '@scimify/scim';
import { FastifyReply } from 'fastify';
import { etagHeaderMatches } from './etag';
import { projectionOf, projectResource, ScimQuery } from './resource-projection';
import { ScimAuthGuard } from './scim-auth.guard';
import { requestIdOf, ScimRequest } from './scim-request';
import { etagOf } from './user-view';
import { ScimCallContext, UsersService, WriteResult } from './users.service';

/**
 * SCIM 2.0 Users endpoint of one integration (RFC 7644 §3). Every response honours the
 * `attributes` and `excludedAttributes` query parameters (RFC 7644 §3.4.2.5, §3.9).
 */
@Controller('scim/v2/:integrationId/Users')
@UseGuards(ScimAuthGuard)
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly integrations: IntegrationsService,
  ) {}

  @Get()
  async list(@Req() request: ScimRequest, @Query() query: ScimQuery): Promise<ListResponse<Record<string, unknown>>> {
    const page = await this.users.list(this.context(request), query);
    const projection = projectionOf(query);

    return { ...page, Resources: page.Resources.map((resource) => projectResource(resource, projection)) };
  }

  /**
   * Reads one user. The reply is sent here rather than returned, because Nest would overwrite a
   * 304 status with the route's 200 (RFC 7232 §4.1: 304 has no body but repeats the ETag).
   */
  @Get(':id')
  async get(
    @Req() request: ScimRequest,
    @Param('id') id: string,
    @Query() query: ScimQuery,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const result = await this.users.get(this.context(request), id);
    reply.header('ETag', etagOf(result.user));

    if (etagHeaderMatches(ifNoneMatch, result.user.version)) {
      void reply.status(304).send();
      return;
    }

    void reply.status(200).send(projectResource(result.resource, projectionOf(query)));
  }

  @Post()
  @HttpCode(201)
  async create(
    @Req() request: ScimRequest,
    @Body() body: unknown,
    @Query() query: ScimQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    const result = await this.users.create(this.context(request), body);
    reply.header('Location', (result.resource.meta as { location: string }).location);
    return this.respond(reply, result, query);
  }

  @Put(':id')
  async replace(
    @Req() request: ScimRequest,
    @Param('id') id: string,
    @Body() body: unknown,
    @Query() query: ScimQuery,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    return this.respond(reply, await this.users.replace(this.context(request), id, body, ifMatch), query);
  }

  @Patch(':id')
  async patch(
    @Req() request: ScimRequest,
    @Param('id') id: string,
    @Body() body: unknown,
    @Query() query: ScimQuery,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    return this.respond(reply, await this.users.patch(this.context(request), id, body, ifMatch), query);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Req() request: ScimRequest, @Param('id') id: string, @Headers('if-match') ifMatch: string | undefined): Promise<void> {
    await this.users.delete(this.context(request), id, ifMatch);
  }

  private respond(reply: FastifyReply, result: WriteResult, query: ScimQuery): Record<string, unknown> {
    reply.header('ETag', etagOf(result.user));
    return projectResource(result.resource, projectionOf(query));
  }

  private context(request: ScimRequest): ScimCallContext {
    const integration = request.integration!;
    return { integration, requestId: requestIdOf(request), scimBaseUrl: this.integrations.scimBaseUrl(integration.id) };
  }
}
