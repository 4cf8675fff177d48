import { JsonObject, cloneJson, deleteIgnoringCase, isJsonObject } from './json';
import { removeReadOnlyExtensions } from './read-only-extension';
import { extractRole, storeRole } from './role';
import { CORE_USER_SCHEMA, DropboxSignRole } from './schemas';
import { ScimError } from './scim-error';
import {
  IGNORED_USER_ATTRIBUTES,
  MULTI_VALUED_USER_ATTRIBUTES,
  canonicalCoreAttribute,
  isCoreUserSchema,
} from './user-attributes';
import { deriveEmail } from './user-email';

/**
 * A SCIM User as the gateway stores it in `scim_user.resource`: the body as received, without
 * `id`, `meta`, `groups`, `password` and the read-only provisioning extension, with `active` as
 * a boolean and the role inside the custom extension object. Unknown attributes and extension
 * objects are kept as sent.
 */
export type StoredUser = Record<string, unknown>;

/** The stored resource of a POST or PUT body and the values the gateway keeps in columns. */
export interface UserInput {
  resource: StoredUser;
  userName: string;
  externalId: string | null;
  /** The body's `active`, or true when absent (RFC 7643 §4.1.1 leaves the default to the server). */
  active: boolean;
  /**
   * Whether the body contained `active`. When false, `resource` has no `active` key, so a PUT
   * that omits it can keep the stored value instead of reactivating the user.
   */
  activeProvided: boolean;
  role: DropboxSignRole;
  /** The primary, else first work, else first email, else an email-shaped userName; lower-case. */
  email: string | null;
}

/**
 * Validates a POST or PUT User body (RFC 7644 §3.3, §3.5.1) and returns the resource to store
 * with the values for the indexed columns. Throws ScimError 400 with the offending attribute.
 */
export function parseUserResource(body: unknown): UserInput {
  if (!isJsonObject(body)) {
    throw new ScimError(
      400,
      `User body ${describeJson(body)} is invalid: send a JSON object with the User attributes`,
      'invalidSyntax',
    );
  }
  const resource = canonicalizeCoreKeys(cloneJson(body));
  for (const name of IGNORED_USER_ATTRIBUTES) delete resource[name];
  removeReadOnlyExtensions(resource);

  resource.schemas = validateSchemas(resource.schemas);
  validateMultiValued(resource);
  const userName = readUserName(resource.userName);
  const externalId = readExternalId(resource);
  const activeProvided = resource.active !== undefined;
  const active = activeProvided ? coerceActive(resource.active) : true;
  if (activeProvided) resource.active = active;

  const role = extractRole(resource);
  storeRole(resource, role);
  return { resource, userName, externalId, active, activeProvided, role, email: deriveEmail(resource, userName) };
}

/**
 * Coerces `active` to a boolean. Entra sends the strings "True" and "False" in some requests,
 * so strings are accepted case-insensitively. Throws ScimError 400 invalidValue otherwise.
 */
export function coerceActive(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new ScimError(400, `active ${JSON.stringify(value)} is invalid: use true or false`, 'invalidValue');
}

/**
 * Renames top-level core attributes to their canonical spelling ("username" to "userName") and
 * drops null values, because RFC 7643 §2.1 makes names case-insensitive and §2.5 treats null as
 * unassigned. The filter SQL reads the jsonb by the canonical names.
 */
function canonicalizeCoreKeys(body: JsonObject): JsonObject {
  const resource: JsonObject = {};
  for (const [key, value] of Object.entries(body)) {
    if (value === null) continue;
    resource[canonicalCoreAttribute(key) ?? key] = value;
  }
  return resource;
}

/** Returns the `schemas` array to store; a missing one becomes the core User schema alone. */
function validateSchemas(schemas: unknown): string[] {
  if (schemas === undefined) return [CORE_USER_SCHEMA];

  const isStringArray = Array.isArray(schemas) && schemas.every((uri) => typeof uri === 'string');
  if (!isStringArray) {
    throw new ScimError(
      400,
      `schemas ${JSON.stringify(schemas)} is invalid: send an array of schema URIs such as ["${CORE_USER_SCHEMA}"]`,
      'invalidSyntax',
    );
  }
  if (!schemas.some(isCoreUserSchema)) {
    throw new ScimError(
      400,
      `schemas ${JSON.stringify(schemas)} does not contain the User schema: add "${CORE_USER_SCHEMA}"`,
      'invalidValue',
    );
  }
  return schemas;
}

/** Rejects a multi-valued attribute that is not an array, which the filter SQL could not expand. */
function validateMultiValued(resource: JsonObject): void {
  for (const name of MULTI_VALUED_USER_ATTRIBUTES) {
    const value = resource[name];
    if (value !== undefined && !Array.isArray(value)) {
      throw new ScimError(
        400,
        `${name} ${describeJson(value)} is invalid: send ${name} as a JSON array of objects`,
        'invalidValue',
      );
    }
  }
}

function readUserName(value: unknown): string {
  if (typeof value === 'string' && value.trim() !== '') return value;
  const problem = value === undefined ? 'is missing' : `${describeJson(value)} is invalid`;
  throw new ScimError(400, `userName ${problem}: send a non-empty string`, 'invalidValue');
}

/** Reads `externalId`; numbers become strings and "" counts as absent and is removed. */
function readExternalId(resource: JsonObject): string | null {
  const value = resource.externalId;
  if (value === undefined || value === '') {
    deleteIgnoringCase(resource, 'externalId');
    return null;
  }
  if (typeof value === 'number') resource.externalId = String(value);
  if (typeof resource.externalId === 'string') return resource.externalId;
  throw new ScimError(400, `externalId ${describeJson(value)} is invalid: send a string`, 'invalidValue');
}

/** Formats a received value for an error message, shortened so that a large body stays readable. */
export function describeJson(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
