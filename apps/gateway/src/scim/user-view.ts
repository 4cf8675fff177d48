import { ScimUserEntity } from '@scimify/persistence';
import { CORE_USER_SCHEMA, CUSTOM_USER_SCHEMA, PROVISIONING_SCHEMA, ProvisioningState, ROLE_ATTRIBUTE } from '@scimify/scim';

export function provisioningState(user: ScimUserEntity): ProvisioningState {
  if (user.observedState === 'failed') return 'failed';
  if (user.appliedGeneration < user.desiredGeneration || user.observedState === 'none') return 'pending';

  return user.observedState;
}

/** Weak ETag of a user version (RFC 7644 §3.14). */
export function etagOf(user: ScimUserEntity): string {
  return `W/"${user.version}"`;
}

/** Renders the stored user as a SCIM User resource (RFC 7643 §4.1) with `meta` and the provisioning extension. */
export function toScimUser(user: ScimUserEntity, scimBaseUrl: string): Record<string, unknown> {
  const stored = user.resource;
  const schemas = new Set<string>(Array.isArray(stored.schemas) ? (stored.schemas as string[]) : [CORE_USER_SCHEMA]);
  schemas.add(CUSTOM_USER_SCHEMA);
  schemas.add(PROVISIONING_SCHEMA);

  const custom = typeof stored[CUSTOM_USER_SCHEMA] === 'object' && stored[CUSTOM_USER_SCHEMA] !== null ? stored[CUSTOM_USER_SCHEMA] : {};
  const resource: Record<string, unknown> = { ...stored, schemas: [...schemas], id: user.id };

  if (user.externalId !== null) resource.externalId = user.externalId;
  resource.userName = user.userName;
  resource.active = user.active;
  resource[CUSTOM_USER_SCHEMA] = { ...custom, [ROLE_ATTRIBUTE]: user.role };
  resource[PROVISIONING_SCHEMA] = {
    state: provisioningState(user),
    dropboxSignAccountId: user.dropboxSignAccountId,
    lastError: user.lastError,
  };
  resource.meta = {
    resourceType: 'User',
    created: new Date(user.createdAt).toISOString(),
    lastModified: new Date(user.updatedAt).toISOString(),
    location: `${scimBaseUrl}/Users/${user.id}`,
    version: etagOf(user),
  };

  return resource;
}
