import { All, Controller, Get, Param, UseGuards } from '@nestjs/common';
import { listResponse, ScimError } from '@scimify/scim';
import { ScimAuthGuard } from './scim-auth.guard';

/**
 * Groups are not provisioned. Identity providers probe `/Groups` in their connection tests, so
 * list requests answer with an empty ListResponse; every other Groups request is refused.
 */
@Controller('scim/v2/:integrationId/Groups')
@UseGuards(ScimAuthGuard)
export class GroupsController {
  @Get()
  list(): Record<string, unknown> {
    return listResponse([], 0, 1);
  }

  @Get(':id')
  get(@Param('id') id: string): never {
    throw new ScimError(404, `Group ${id} not found: this connector provisions users only`);
  }

  @All(['', ':id'])
  unsupported(): never {
    throw new ScimError(501, 'Groups are not supported: this connector provisions users only, so turn off Push Groups for this app');
  }
}
