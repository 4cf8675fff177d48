import { Controller, Delete, Get, Inject, Param, Patch, Post, Put, Query, UseGuards } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@scimify/config';
import { ListResponse, listResponse, parseFilter, parseListParams, ScimError } from '@scimify/scim';
import { ScimAuthGuard } from './scim-auth.guard';

/**
 * Groups are not provisioned. Identity providers probe `/Groups` in their connection tests, so
 * list requests get an empty ListResponse; a group id gets 404 and every write gets 501.
 */
@Controller('scim/v2/:integrationId/Groups')
@UseGuards(ScimAuthGuard)
export class GroupsController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Validates the paging parameters and the filter syntax as for Users, so that a bad request still gets 400. */
  @Get()
  list(@Query() query: Record<string, unknown>): ListResponse<never> {
    const { startIndex } = parseListParams(query, this.config.SCIM_MAX_RESULTS);
    if (typeof query.filter === 'string' && query.filter.trim() !== '') parseFilter(query.filter);

    return listResponse([], 0, startIndex);
  }

  @Get(':id')
  get(@Param('id') id: string): never {
    throw new ScimError(404, `Group ${id} not found: this connector provisions users only and stores no groups`);
  }

  // Nest keeps one route per handler, so each write method needs a handler of its own.
  @Post()
  create(): never {
    throw groupsUnsupported();
  }

  @Put(':id')
  replace(): never {
    throw groupsUnsupported();
  }

  @Patch(':id')
  patch(): never {
    throw groupsUnsupported();
  }

  @Delete(':id')
  delete(): never {
    throw groupsUnsupported();
  }
}

function groupsUnsupported(): ScimError {
  return new ScimError(501, 'Groups are not supported: this connector provisions users only, so turn off Push Groups (Okta) or the group mapping (Entra ID) for this app');
}
