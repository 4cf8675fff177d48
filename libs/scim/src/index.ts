export * from './schemas';
export * from './scim-error';
export type { StoredUser, UserInput } from './user-resource';
export { parseUserResource, coerceActive } from './user-resource';
export { extractRole, FLAT_ROLE_KEY } from './role';
export { applyUserPatch } from './patch';
export type { CompiledFilter } from './filter-sql';
export { compileUserFilter, likePattern } from './filter-sql';
export type { Filter, CompareValue } from './filter-parse';
export { parseFilter } from './filter-parse';
export type { ListParams, ListResponse } from './list-params';
export { parseListParams, listResponse } from './list-params';
export { projectAttributes } from './projection';
export type { AttributeType, SchemaAttribute, SchemaDefinition } from './schema-attribute';
export { CORE_USER_SCHEMA_DEFINITION, ENTERPRISE_USER_SCHEMA_DEFINITION } from './user-schema-definitions';
export type { ProvisioningState } from './extension-schema-definitions';
export {
  CUSTOM_USER_SCHEMA_DEFINITION,
  PROVISIONING_SCHEMA,
  PROVISIONING_SCHEMA_DEFINITION,
  PROVISIONING_STATES,
} from './extension-schema-definitions';
export type { DiscoveryOptions } from './discovery';
export {
  SCHEMA_DEFINITIONS,
  SERVICE_PROVIDER_CONFIG_SCHEMA,
  RESOURCE_TYPE_SCHEMA,
  SCHEMA_SCHEMA,
  serviceProviderConfig,
  resourceTypesResponse,
  findResourceType,
  schemasResponse,
  findSchema,
} from './discovery';
