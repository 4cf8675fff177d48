import { CORE_USER_SCHEMA } from './schemas';

/** Top-level attributes of the core User schema and the common attributes (RFC 7643 §3.1, §4.1). */
export const CORE_USER_ATTRIBUTES = [
  'id',
  'externalId',
  'meta',
  'schemas',
  'userName',
  'name',
  'displayName',
  'nickName',
  'profileUrl',
  'title',
  'userType',
  'preferredLanguage',
  'locale',
  'timezone',
  'active',
  'password',
  'emails',
  'phoneNumbers',
  'ims',
  'photos',
  'addresses',
  'groups',
  'entitlements',
  'roles',
  'x509Certificates',
] as const;

/** Multi-valued core User attributes (RFC 7643 §4.1.2), which are JSON arrays (RFC 7643 §2.4). */
export const MULTI_VALUED_USER_ATTRIBUTES = [
  'emails',
  'phoneNumbers',
  'ims',
  'photos',
  'addresses',
  'groups',
  'entitlements',
  'roles',
  'x509Certificates',
] as const;

/**
 * Attributes that a client may send but the gateway never stores: `id`, `meta` and `groups` are
 * read-only (RFC 7643 §3.1, §4.1.2). `password` is write-only (RFC 7643 §4.1.1), so the
 * gateway drops it instead of storing a secret that it never returns.
 */
export const IGNORED_USER_ATTRIBUTES = ['id', 'meta', 'groups', 'password'] as const;

const CANONICAL_CORE_NAMES = new Map<string, string>(
  CORE_USER_ATTRIBUTES.map((name) => [name.toLowerCase(), name]),
);

/** Returns the core attribute's canonical spelling for a case-insensitive name, or undefined. */
export function canonicalCoreAttribute(name: string): string | undefined {
  return CANONICAL_CORE_NAMES.get(name.toLowerCase());
}

/**
 * Tells whether `key` names a schema extension object (RFC 7643 §3.3) rather than an attribute.
 * Extension URNs of User resources end in ":User" (Okta and Entra custom ones included), so
 * the check does not need a list of every extension a tenant configures.
 */
export function isUserSchemaUrn(key: string): boolean {
  return /^urn:[^[\]]*:User$/i.test(key);
}

/** Tells whether a URI is the core User schema, ignoring case. */
export function isCoreUserSchema(uri: string): boolean {
  return uri.toLowerCase() === CORE_USER_SCHEMA.toLowerCase();
}
