import { JsonObject, cloneJson, findKey, getIgnoringCase, isJsonObject, jsonEqual } from './json';
import { parsePatchPath } from './patch-path';
import { applyFilteredOperation } from './patch-filtered';
import { PatchOperation, addOrReplaceWithLibrary, describeOperation, removeWithLibrary } from './patch-library';
import { isReadOnlyExtensionPath } from './read-only-extension';
import { PATCH_OP_SCHEMA } from './schemas';
import { ScimError } from './scim-error';
import { StoredUser, describeJson, parseUserResource } from './user-resource';
import { canonicalCoreAttribute, isCoreUserSchema, isUserSchemaUrn } from './user-attributes';

/** Attributes that Okta and Entra echo in path-less values; they are skipped, not rejected. */
const SKIPPED_IN_VALUE = new Set(['id', 'meta', 'schemas', 'groups', 'password']);
/** Attributes skipped even when a path names them: schemas is server-managed, the others unstored. */
const SKIPPED_IN_PATH = new Set(['schemas', 'groups', 'password']);
/** Read-only attributes whose explicit path is rejected (RFC 7644 §3.5.2: mutability). */
const READ_ONLY = new Set(['id', 'meta']);

/**
 * Applies an RFC 7644 §3.5.2 PatchOp body to a copy of `resource` and returns the copy,
 * normalised by parseUserResource (active as a boolean, role in the custom extension).
 * Operations apply in order and all or none take effect, because the first error throws.
 * Throws ScimError 400 (invalidSyntax, invalidPath, invalidValue, mutability or noTarget).
 */
export function applyUserPatch(resource: StoredUser, body: unknown): StoredUser {
  const operations = readOperations(body);
  const patched = cloneJson(resource);
  for (const operation of operations) applyOperation(patched, operation);
  return parseUserResource(patched).resource;
}

/**
 * Validates the PatchOp envelope. A body without `schemas` is accepted because the operations
 * alone are unambiguous; a `schemas` that lists something else is rejected.
 */
function readOperations(body: unknown): PatchOperation[] {
  if (!isJsonObject(body)) {
    throw new ScimError(400, `PATCH body ${describeJson(body)} is invalid: send a PatchOp JSON object`, 'invalidSyntax');
  }
  const schemas = getIgnoringCase(body, 'schemas');
  const listsPatchOp = Array.isArray(schemas) && schemas.some((uri) => uri === PATCH_OP_SCHEMA);
  if (schemas !== undefined && !listsPatchOp) {
    throw new ScimError(
      400,
      `PATCH schemas ${describeJson(schemas)} is invalid: send ["${PATCH_OP_SCHEMA}"]`,
      'invalidSyntax',
    );
  }
  const operations = getIgnoringCase(body, 'Operations');
  if (!Array.isArray(operations) || operations.length === 0) {
    throw new ScimError(
      400,
      `PATCH Operations ${describeJson(operations)} is invalid: send a non-empty array of operations`,
      'invalidSyntax',
    );
  }
  return operations.map(readOperation);
}

function readOperation(raw: unknown, index: number): PatchOperation {
  const position = `PATCH operation ${index + 1}`;
  if (!isJsonObject(raw)) {
    throw new ScimError(400, `${position} ${describeJson(raw)} is invalid: send an object with op, path and value`, 'invalidSyntax');
  }
  const op = getIgnoringCase(raw, 'op');
  const lowerOp = typeof op === 'string' ? op.toLowerCase() : undefined;
  if (lowerOp !== 'add' && lowerOp !== 'remove' && lowerOp !== 'replace') {
    throw new ScimError(400, `${position} op ${describeJson(op)} is invalid: use add, remove or replace`, 'invalidSyntax');
  }
  const path = getIgnoringCase(raw, 'path');
  if (path !== undefined && path !== null && typeof path !== 'string') {
    throw new ScimError(400, `${position} path ${describeJson(path)} is invalid: send a string`, 'invalidPath');
  }
  const value = getIgnoringCase(raw, 'value');
  if (lowerOp !== 'remove' && value === undefined) {
    throw new ScimError(400, `${position} (${lowerOp}) has no value: add a "value" member`, 'invalidSyntax');
  }
  // An empty path is treated like an absent one, which some clients send for path-less replace.
  const usablePath = typeof path === 'string' && path.trim() !== '' ? path : undefined;
  return { op: lowerOp, path: usablePath, value: cloneJson(value), index };
}

function applyOperation(resource: JsonObject, operation: PatchOperation): void {
  if (operation.path !== undefined) {
    applyPathOperation(resource, operation, operation.path, false);
    return;
  }
  // RFC 7644 §3.5.2.2: remove without a path fails with noTarget.
  if (operation.op === 'remove') {
    throw new ScimError(400, `${describeOperation(operation)} failed: remove needs a path naming the attribute`, 'noTarget');
  }
  applyValueKeys(resource, operation, '');
}

/**
 * Applies each key of an object value as its own path (RFC 7644 §3.5.2.1, §3.5.2.3). Entra sends
 * dotted and URN-qualified keys such as "name.givenName", so keys are paths, not literal names.
 */
function applyValueKeys(resource: JsonObject, operation: PatchOperation, prefix: string): void {
  if (!isJsonObject(operation.value)) {
    throw new ScimError(
      400,
      `${describeOperation(operation)} failed: value ${describeJson(operation.value)} must be an object of attributes`,
      'invalidValue',
    );
  }
  for (const [key, value] of Object.entries(operation.value)) {
    applyPathOperation(resource, { ...operation, value }, `${prefix}${key}`, true);
  }
}

function applyPathOperation(resource: JsonObject, operation: PatchOperation, path: string, fromValue: boolean): void {
  if (isReadOnlyExtensionPath(path)) {
    rejectReadOnlyExtension(operation, path, fromValue);
    return;
  }
  if (isUserSchemaUrn(path)) {
    applySchemaOperation(resource, operation, path);
    return;
  }
  const target = parsePatchPath(path);
  const container = target.schemaUrn === undefined ? resource : extensionObject(resource, target.schemaUrn, operation);
  if (!container) return;

  const attribute = findKey(container, target.attribute) ?? canonicalName(target.attribute, target.schemaUrn);
  if (target.schemaUrn === undefined && isSkipped(attribute, operation, path, fromValue)) return;

  if (target.filter) {
    applyFilteredOperation(container, attribute, target.filter, target.subAttribute, operation);
  } else if (operation.op === 'remove' && operation.value !== undefined) {
    removeListedValues(container, attribute, target.subAttribute, operation.value);
  } else {
    applyPlainOperation(container, attribute, target.subAttribute, operation);
  }
}

/** Skips the provisioning extension inside a path-less value (an echoed read), rejects it as an explicit path. */
function rejectReadOnlyExtension(operation: PatchOperation, path: string, fromValue: boolean): void {
  if (fromValue) return;

  throw new ScimError(
    400,
    `${describeOperation(operation)} failed: ${JSON.stringify(path)} is read-only because Scimify sets the provisioning state itself; remove this operation`,
    'mutability',
  );
}

/** Handles a path that is a whole schema: the core schema is the resource, an extension its object. */
function applySchemaOperation(resource: JsonObject, operation: PatchOperation, urn: string): void {
  if (isCoreUserSchema(urn)) {
    if (operation.op === 'remove') throw new ScimError(400, `${describeOperation(operation)} failed: the core schema cannot be removed`, 'mutability');
    applyValueKeys(resource, operation, '');
  } else if (operation.op === 'remove') {
    delete resource[findKey(resource, urn) ?? urn];
  } else {
    applyValueKeys(resource, operation, `${urn}:`);
  }
}

/** Returns the extension object, creating it for add and replace; undefined when removing from nothing. */
function extensionObject(resource: JsonObject, urn: string, operation: PatchOperation): JsonObject | undefined {
  const key = findKey(resource, urn) ?? urn;
  const current = resource[key];
  if (isJsonObject(current)) return current;
  if (current === undefined && operation.op === 'remove') return undefined;
  if (current !== undefined) {
    throw new ScimError(400, `${describeOperation(operation)} failed: ${urn} is ${describeJson(current)}, not an object`, 'invalidValue');
  }
  const created: JsonObject = {};
  resource[key] = created;
  return created;
}

function canonicalName(attribute: string, schemaUrn: string | undefined): string {
  return schemaUrn === undefined ? canonicalCoreAttribute(attribute) ?? attribute : attribute;
}

function isSkipped(attribute: string, operation: PatchOperation, path: string, fromValue: boolean): boolean {
  if (fromValue && SKIPPED_IN_VALUE.has(attribute)) return true;
  if (READ_ONLY.has(attribute)) {
    throw new ScimError(
      400,
      `${describeOperation(operation)} failed: ${JSON.stringify(path)} targets the read-only attribute ${attribute}; remove this operation`,
      'mutability',
    );
  }
  return SKIPPED_IN_PATH.has(attribute);
}

function applyPlainOperation(
  container: JsonObject,
  attribute: string,
  subAttribute: string | undefined,
  operation: PatchOperation,
): void {
  const parent = container[attribute];
  const sub = subAttribute !== undefined && isJsonObject(parent) ? findKey(parent, subAttribute) ?? subAttribute : subAttribute;
  const path = sub === undefined ? attribute : `${attribute}.${sub}`;
  if (operation.op === 'remove') removeWithLibrary(container, operation, path);
  else addOrReplaceWithLibrary(container, operation, path);
}

/**
 * Removes only the listed values, as Entra does with `{"op":"Remove","path":"members",
 * "value":[{"value":"<id>"}]}`. That form is not in RFC 7644, and scim-patch needs an exact
 * deep match, so a listed object here matches any element that has all of its non-null members.
 */
function removeListedValues(container: JsonObject, attribute: string, subAttribute: string | undefined, value: unknown): void {
  const owner = subAttribute === undefined ? container : container[attribute];
  const key = subAttribute ?? attribute;
  if (!isJsonObject(owner) || owner[key] === undefined) return;

  const listed = Array.isArray(value) ? value : [value];
  const current = owner[key];
  if (!Array.isArray(current)) {
    if (listed.some((item) => matchesListed(current, item))) delete owner[key];
    return;
  }
  const remaining = current.filter((element) => !listed.some((item) => matchesListed(element, item)));
  if (remaining.length === 0) delete owner[key];
  else owner[key] = remaining;
}

function matchesListed(element: unknown, listed: unknown): boolean {
  if (!isJsonObject(listed) || !isJsonObject(element)) return jsonEqual(element, listed);
  return Object.entries(listed).every(([key, value]) => value === null || jsonEqual(element[key], value));
}
