import { JsonObject, deleteIgnoringCase, getIgnoringCase, isJsonObject, findKey } from './json';
import {
  CUSTOM_USER_SCHEMA,
  DEFAULT_DROPBOX_SIGN_ROLE,
  DROPBOX_SIGN_ROLES,
  DropboxSignRole,
  ROLE_ATTRIBUTE,
} from './schemas';
import { ScimError } from './scim-error';

/** The role as a flat, URN-qualified key, which some clients send instead of a nested object. */
export const FLAT_ROLE_KEY = `${CUSTOM_USER_SCHEMA}:${ROLE_ATTRIBUTE}`;

/**
 * Extracts the Dropbox Sign role from a User body. The role may sit at the top level, under the
 * flat key `urn:…:custom:2.0:User:dropboxSign_role`, or inside the custom extension object.
 * The first non-empty one in that order wins. Absent, null or "" means the default, Member.
 * Values match case-insensitively and ignoring spaces, "_" and "-" ("team_manager").
 * Throws ScimError 400 invalidValue for any other value.
 */
export function extractRole(resource: Record<string, unknown>): DropboxSignRole {
  const raw = findRoleValues(resource).find((value) => value !== undefined && value !== null && value !== '');
  if (raw === undefined) return DEFAULT_DROPBOX_SIGN_ROLE;

  const role = typeof raw === 'string' ? matchRole(raw) : undefined;
  if (role === undefined) {
    throw new ScimError(
      400,
      `${ROLE_ATTRIBUTE} ${JSON.stringify(raw)} is invalid: use one of ${DROPBOX_SIGN_ROLES.join(', ')}`,
      'invalidValue',
    );
  }
  return role;
}

/**
 * Moves the role into `resource[CUSTOM_USER_SCHEMA].dropboxSign_role` with its canonical
 * spelling, deletes the top-level and flat keys, and lists the custom schema in `schemas`.
 * Mutates `resource`.
 */
export function storeRole(resource: JsonObject, role: DropboxSignRole): void {
  deleteIgnoringCase(resource, ROLE_ATTRIBUTE);
  deleteIgnoringCase(resource, FLAT_ROLE_KEY);

  const extensionKey = findKey(resource, CUSTOM_USER_SCHEMA) ?? CUSTOM_USER_SCHEMA;
  const extension = resource[extensionKey] ?? {};
  if (!isJsonObject(extension)) {
    throw new ScimError(
      400,
      `${CUSTOM_USER_SCHEMA} ${JSON.stringify(extension)} is invalid: send the extension as a JSON object`,
      'invalidValue',
    );
  }
  deleteIgnoringCase(extension, ROLE_ATTRIBUTE);
  extension[ROLE_ATTRIBUTE] = role;
  resource[extensionKey] = extension;

  const schemas = Array.isArray(resource.schemas) ? resource.schemas : [];
  const listed = schemas.some((uri) => typeof uri === 'string' && uri.toLowerCase() === CUSTOM_USER_SCHEMA.toLowerCase());
  if (!listed) resource.schemas = [...schemas, CUSTOM_USER_SCHEMA];
}

function findRoleValues(resource: JsonObject): unknown[] {
  const extension = getIgnoringCase(resource, CUSTOM_USER_SCHEMA);
  return [
    getIgnoringCase(resource, ROLE_ATTRIBUTE),
    getIgnoringCase(resource, FLAT_ROLE_KEY),
    isJsonObject(extension) ? getIgnoringCase(extension, ROLE_ATTRIBUTE) : undefined,
  ];
}

function matchRole(value: string): DropboxSignRole | undefined {
  const simplified = simplifyRoleName(value);
  return DROPBOX_SIGN_ROLES.find((role) => simplifyRoleName(role) === simplified);
}

function simplifyRoleName(value: string): string {
  return value.replace(/[\s_-]+/g, '').toLowerCase();
}
