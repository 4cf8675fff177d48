import { Controller, Delete, Get, Param, Patch, Post, Put, UseGuards } from '@nestjs/common';
import { ListResponse, listResponse, ScimError } from '@scimify/scim';
import { ScimAuthGuard } from './scim-auth.guard';

/**
 * Groups are not provisioned. Identity providers probe `/Groups` in their connection tests, so
 * list requests answer with an empty ListResponse; every other Groups request is refused.
 */
@Controller('scim/v2/:integrationId/Groups')
@UseGuards(ScimAuthGuard)
export class GroupsController {
  @Get()
  list(): ListResponse<never> {
    return listResponse([], 0, 1);
  }

  @Get(':id')
  get(@Param('id') id: string): never {
    throw new ScimError(404, `Group ${id} not found: this connector provisions users only`);
  }

  @Post()
  @Put(':id')
  @Patch(':id')
  @Delete(':id')
  unsupported(): never {
    throw new ScimError(501, 'Groups are not supported: this connector provisions users only, so turn off Push Groups for this app');
  }
}
