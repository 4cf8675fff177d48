import { Filter, parseFilter } from './filter-parse';
import { CORE_USER_SCHEMA, CUSTOM_USER_SCHEMA, ROLE_ATTRIBUTE } from './schemas';
import { ScimError } from './scim-error';

/** The parts of an RFC 7644 §3.5.2 PATCH path. */
export interface PatchPath {
  /** Extension schema URN whose object contains the attribute; undefined for core attributes. */
  schemaUrn?: string;
  attribute: string;
  /** The value filter of `emails[type eq "work"]`. */
  filter?: Filter;
  subAttribute?: string;
}

/**
 * PATH = attrPath / valuePath [subAttr] (RFC 7644 §3.5.2), where attrPath may start with a
 * schema URN. The URN is everything before the last ":" that precedes the attribute name, so a
 * ":" inside the brackets (`phoneNumbers[value eq "tel:+1-555"]`) does not split the path.
 */
const PATH_PATTERN = /^(?:(urn:[^[\]]+):)?([A-Za-z$][\w$-]*)(?:\[(.*)\])?(?:\.([A-Za-z$][\w$-]*))?$/i;

/**
 * Parses a PATCH path. `dropboxSign_role` without a URN is moved to the custom extension, where
 * the gateway stores the role. Throws ScimError 400 invalidPath when the path is malformed.
 */
export function parsePatchPath(path: string): PatchPath {
  const match = PATH_PATTERN.exec(path.trim());
  if (!match) throw invalidPath(path, 'it is not an attribute path');
  const [, urn, attribute, filterText, subAttribute] = match;

  const result: PatchPath = { attribute, subAttribute };
  if (urn !== undefined && urn.toLowerCase() !== CORE_USER_SCHEMA.toLowerCase()) result.schemaUrn = urn;
  if (result.schemaUrn === undefined && attribute.toLowerCase() === ROLE_ATTRIBUTE.toLowerCase()) {
    result.schemaUrn = CUSTOM_USER_SCHEMA;
  }
  if (filterText !== undefined) result.filter = parsePathFilter(path, filterText);
  return result;
}

function parsePathFilter(path: string, filterText: string): Filter {
  try {
    return parseFilter(filterText);
  } catch (error) {
    const reason = error instanceof ScimError ? error.detail : String(error);
    throw invalidPath(path, reason);
  }
}

function invalidPath(path: string, reason: string): ScimError {
  return new ScimError(
    400,
    `PATCH path ${JSON.stringify(path)} is invalid: ${reason}. ` +
      'Use attribute, attribute.subAttribute, attribute[filter].subAttribute, or prefix a schema URN and ":"',
    'invalidPath',
  );
}
