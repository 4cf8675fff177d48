import { Controller, Get, Inject, Param, Query, UseGuards } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@scimify/config';
import { IntegrationsService } from '@scimify/integrations';
import { findResourceType, findSchema, ListResponse, resourceTypesResponse, schemasResponse, ScimError, serviceProviderConfig } from '@scimify/scim';
import { ScimAuthGuard } from './scim-auth.guard';

type Resource = Record<string, unknown>;

/**
 * Discovery endpoints of one integration (RFC 7644 §4). They need the bearer token like every
 * other SCIM request, so that they do not tell strangers which integration ids exist.
 */
@Controller('scim/v2/:integrationId')
@UseGuards(ScimAuthGuard)
export class DiscoveryController {
  constructor(
    private readonly integrations: IntegrationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('ServiceProviderConfig')
  serviceProviderConfig(@Param('integrationId') integrationId: string, @Query('filter') filter?: unknown): Resource {
    rejectFilter(filter);
    return serviceProviderConfig({ scimBaseUrl: this.integrations.scimBaseUrl(integrationId), maxResults: this.config.SCIM_MAX_RESULTS });
  }

  @Get('ResourceTypes')
  resourceTypes(@Param('integrationId') integrationId: string, @Query('filter') filter?: unknown): ListResponse<Resource> {
    rejectFilter(filter);
    return resourceTypesResponse(this.integrations.scimBaseUrl(integrationId));
  }

  @Get('ResourceTypes/:id')
  resourceType(@Param('integrationId') integrationId: string, @Param('id') id: string): Resource {
    const resourceType = findResourceType(id, this.integrations.scimBaseUrl(integrationId));
    if (!resourceType) throw new ScimError(404, `Resource type ${id} not found: this connector provisions only the resource type User`);

    return resourceType;
  }

  @Get('Schemas')
  schemas(@Param('integrationId') integrationId: string, @Query('filter') filter?: unknown): ListResponse<Resource> {
    rejectFilter(filter);
    return schemasResponse(this.integrations.scimBaseUrl(integrationId));
  }

  @Get('Schemas/:id')
  schema(@Param('integrationId') integrationId: string, @Param('id') id: string): Resource {
    const schema = findSchema(id, this.integrations.scimBaseUrl(integrationId));
    if (!schema) throw new ScimError(404, `Schema ${id} not found: GET /Schemas lists the schemas of this connector`);

    return schema;
  }
}

/**
 * Rejects a filter with 403. RFC 7644 §4 makes discovery endpoints ignore query parameters but
 * reject a filter, so that a client cannot take the unfiltered result for a filtered one.
 */
function rejectFilter(filter: unknown): void {
  if (filter === undefined || filter === '') return;

  throw new ScimError(403, 'Discovery endpoints do not support filter: send the request without the filter parameter');
}
