import { CORE_USER_SCHEMA, CUSTOM_USER_SCHEMA, ENTERPRISE_USER_SCHEMA, ROLE_ATTRIBUTE } from './schemas';

/** The SQL type that a filter comparison works on. */
export type FilterValueType = 'string' | 'boolean' | 'dateTime';

/**
 * A single-valued attribute and the SQL expression that reads it. `jsonText` marks expressions
 * that read text out of the jsonb resource, where booleans arrive as the strings "true"/"false".
 */
export interface ScalarAttribute {
  kind: 'scalar';
  sql: string;
  type: FilterValueType;
  caseExact: boolean;
  jsonText?: boolean;
}

/** A multi-valued complex attribute (RFC 7643 §2.4), filtered element by element in jsonb. */
export interface MultiValuedAttribute {
  kind: 'multiValued';
  name: string;
  /** Sub-attribute types by lower-case name; the value maps the canonical spelling and type. */
  subAttributes: Map<string, { name: string; type: FilterValueType }>;
}

export type FilterAttribute = ScalarAttribute | MultiValuedAttribute;

function column(sql: string, type: FilterValueType, caseExact: boolean): ScalarAttribute {
  return { kind: 'scalar', sql, type, caseExact };
}

/** Reads a string from the jsonb resource; the path is a constant from this file, never input. */
function jsonString(...path: string[]): ScalarAttribute {
  return { kind: 'scalar', sql: `u.resource #>> '{${path.join(',')}}'`, type: 'string', caseExact: false, jsonText: true };
}

function multiValued(name: string, strings: string[]): MultiValuedAttribute {
  const subAttributes = new Map<string, { name: string; type: FilterValueType }>();
  for (const sub of strings) subAttributes.set(sub.toLowerCase(), { name: sub, type: 'string' });
  subAttributes.set('primary', { name: 'primary', type: 'boolean' });
  return { kind: 'multiValued', name, subAttributes };
}

const ROLE_COLUMN = column('u.role', 'string', false);

/**
 * Filterable User attributes by lower-case name. Case sensitivity follows the `caseExact`
 * characteristics of RFC 7643 §7/§8.7.1: only `id` and `externalId` are case-exact. `userName`
 * reads `lower(u.user_name)` so the `(integration_id, lower(user_name))` index serves lookups.
 */
const CORE_ATTRIBUTES = new Map<string, FilterAttribute>([
  ['id', column('u.id::text', 'string', true)],
  ['username', column('u.user_name', 'string', false)],
  ['externalid', column('u.external_id', 'string', true)],
  ['active', column('u.active', 'boolean', true)],
  ['meta.created', column('u.created_at', 'dateTime', true)],
  ['meta.lastmodified', column('u.updated_at', 'dateTime', true)],
  ['meta.resourcetype', column(`'User'::text`, 'string', true)],
  [ROLE_ATTRIBUTE.toLowerCase(), ROLE_COLUMN],
  ...['displayName', 'nickName', 'title', 'userType', 'locale', 'timezone', 'preferredLanguage', 'profileUrl'].map(
    (name): [string, FilterAttribute] => [name.toLowerCase(), jsonString(name)],
  ),
  ...['givenName', 'familyName', 'formatted', 'middleName', 'honorificPrefix', 'honorificSuffix'].map(
    (name): [string, FilterAttribute] => [`name.${name.toLowerCase()}`, jsonString('name', name)],
  ),
  ['emails', multiValued('emails', ['value', 'display', 'type'])],
  ['phonenumbers', multiValued('phoneNumbers', ['value', 'display', 'type'])],
  ['roles', multiValued('roles', ['value', 'display', 'type'])],
  ['entitlements', multiValued('entitlements', ['value', 'display', 'type'])],
  [
    'addresses',
    multiValued('addresses', ['formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country', 'type']),
  ],
]);

const ENTERPRISE_ATTRIBUTES = new Map<string, FilterAttribute>([
  ...['employeeNumber', 'costCenter', 'organization', 'division', 'department'].map(
    (name): [string, FilterAttribute] => [name.toLowerCase(), jsonString(ENTERPRISE_USER_SCHEMA, name)],
  ),
  ['manager.value', jsonString(ENTERPRISE_USER_SCHEMA, 'manager', 'value')],
  ['manager.displayname', jsonString(ENTERPRISE_USER_SCHEMA, 'manager', 'displayName')],
]);

/** Names listed in the invalidFilter message so a client can fix its filter. */
export const FILTERABLE_ATTRIBUTE_NAMES =
  'id, userName, externalId, active, meta.created, meta.lastModified, meta.resourceType, dropboxSign_role, ' +
  'displayName, nickName, title, userType, locale, timezone, preferredLanguage, profileUrl, name.*, ' +
  'emails, phoneNumbers, addresses, roles, entitlements, and the enterprise extension attributes';

/**
 * Resolves a filter attribute path, optionally URN-qualified (RFC 7644 §3.10), to its SQL
 * mapping. The URN is split off at the last ":" before the attribute name. Returns a
 * multi-valued attribute together with the sub-attribute of `emails.value`-style paths.
 */
export function resolveFilterAttribute(
  attrPath: string,
): { attribute: FilterAttribute; subAttribute?: string } | undefined {
  const separator = attrPath.lastIndexOf(':');
  const urn = separator < 0 ? CORE_USER_SCHEMA : attrPath.slice(0, separator);
  const name = attrPath.slice(separator + 1).toLowerCase();

  switch (urn.toLowerCase()) {
    case CORE_USER_SCHEMA.toLowerCase():
      return resolveCoreAttribute(name);
    case ENTERPRISE_USER_SCHEMA.toLowerCase():
      return wrap(ENTERPRISE_ATTRIBUTES.get(name));
    case CUSTOM_USER_SCHEMA.toLowerCase():
      return name === ROLE_ATTRIBUTE.toLowerCase() ? { attribute: ROLE_COLUMN } : undefined;
    default:
      return undefined;
  }
}

function resolveCoreAttribute(name: string): { attribute: FilterAttribute; subAttribute?: string } | undefined {
  const direct = CORE_ATTRIBUTES.get(name);
  if (direct) return { attribute: direct };

  const dot = name.indexOf('.');
  const parent = CORE_ATTRIBUTES.get(name.slice(0, dot));
  if (dot < 0 || parent?.kind !== 'multiValued') return undefined;
  return { attribute: parent, subAttribute: name.slice(dot + 1) };
}

function wrap(attribute: FilterAttribute | undefined): { attribute: FilterAttribute } | undefined {
  return attribute ? { attribute } : undefined;
}
