import { CUSTOM_USER_SCHEMA_DEFINITION, PROVISIONING_SCHEMA_DEFINITION } from './extension-schema-definitions';
import { listResponse, ListResponse } from './list-params';
import { SchemaDefinition } from './schema-attribute';
import { CORE_USER_SCHEMA } from './schemas';
import { CORE_USER_SCHEMA_DEFINITION, ENTERPRISE_USER_SCHEMA_DEFINITION } from './user-schema-definitions';

export const SERVICE_PROVIDER_CONFIG_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
export const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
export const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

/** Every schema that `/Schemas` lists: the core User schema first, then its extensions. */
export const SCHEMA_DEFINITIONS: readonly SchemaDefinition[] = [
  CORE_USER_SCHEMA_DEFINITION,
  ENTERPRISE_USER_SCHEMA_DEFINITION,
  CUSTOM_USER_SCHEMA_DEFINITION,
  PROVISIONING_SCHEMA_DEFINITION,
];

/** The features that the service provider configuration reports (RFC 7643 §5). */
export interface DiscoveryOptions {
  /** The integration's SCIM base URL, without a trailing slash; `meta.location` starts with it. */
  scimBaseUrl: string;
  /** The largest page of a list request (SCIM_MAX_RESULTS). */
  maxResults: number;
}

/**
 * Builds the `/ServiceProviderConfig` resource (RFC 7643 §5). It reports what the gateway does:
 * PATCH and filters yes, bulk, sorting and password changes no, and weak ETags on Users.
 */
export function serviceProviderConfig(options: DiscoveryOptions): Record<string, unknown> {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: options.maxResults },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description:
          'Send "Authorization: Bearer <token>" (RFC 6750 header form) with a SCIM token that Scimify issued for this integration. A token stays valid until an administrator revokes it.',
        specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${options.scimBaseUrl}/ServiceProviderConfig` },
  };
}

/**
 * Builds the User resource type (RFC 7643 §6). Groups are not provisioned, so there is no Group
 * resource type even though `/Groups` returns an empty list to list requests.
 */
export function userResourceType(scimBaseUrl: string): Record<string, unknown> {
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'User account, provisioned into the Dropbox Sign team',
    schema: CORE_USER_SCHEMA,
    schemaExtensions: SCHEMA_DEFINITIONS.filter((schema) => schema.id !== CORE_USER_SCHEMA).map((schema) => ({ schema: schema.id, required: false })),
    meta: { resourceType: 'ResourceType', location: `${scimBaseUrl}/ResourceTypes/User` },
  };
}

/** Returns the `/ResourceTypes` ListResponse (RFC 7644 §4). */
export function resourceTypesResponse(scimBaseUrl: string): ListResponse<Record<string, unknown>> {
  return listResponse([userResourceType(scimBaseUrl)], 1, 1);
}

/** Returns a resource type by id ignoring case, or undefined. */
export function findResourceType(id: string, scimBaseUrl: string): Record<string, unknown> | undefined {
  return id.toLowerCase() === 'user' ? userResourceType(scimBaseUrl) : undefined;
}

/** Renders a schema definition as a Schema resource with `meta` (RFC 7643 §7). */
export function schemaResource(definition: SchemaDefinition, scimBaseUrl: string): Record<string, unknown> {
  return {
    schemas: [SCHEMA_SCHEMA],
    ...definition,
    meta: { resourceType: 'Schema', location: `${scimBaseUrl}/Schemas/${definition.id}` },
  };
}

/** Returns the `/Schemas` ListResponse (RFC 7644 §4). */
export function schemasResponse(scimBaseUrl: string): ListResponse<Record<string, unknown>> {
  const resources = SCHEMA_DEFINITIONS.map((definition) => schemaResource(definition, scimBaseUrl));
  return listResponse(resources, resources.length, 1);
}

/** Returns a schema by its URI, ignoring case because schema URIs are case-insensitive (RFC 7643 §2.1), or undefined. */
export function findSchema(id: string, scimBaseUrl: string): Record<string, unknown> | undefined {
  const definition = SCHEMA_DEFINITIONS.find((schema) => schema.id.toLowerCase() === id.toLowerCase());
  return definition ? schemaResource(definition, scimBaseUrl) : undefined;
}
