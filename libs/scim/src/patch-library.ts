import { ScimError as ScimPatchLibraryError, ScimResource, scimPatch } from 'scim-patch';
import { JsonObject } from './json';
import { ScimError, ScimErrorType } from './scim-error';

/** One PATCH operation after validation, with `op` lower-cased. */
export interface PatchOperation {
  op: 'add' | 'remove' | 'replace';
  path?: string;
  value?: unknown;
  /** Position in `Operations`, for error messages. */
  index: number;
}

/**
 * Applies an add or replace to `target` with scim-patch, which implements the RFC 7644
 * §3.5.2.1/§3.5.2.3 rules: complex values merge sub-attributes, add appends to arrays without
 * duplicates, and replace overwrites. `path` must be relative to `target` and contain no URN or
 * filter, because scim-patch 0.8.3 splits paths at the last ":" even inside a filter value.
 * Without `path`, `value` is merged into `target` itself. Mutates `target`.
 */
export function addOrReplaceWithLibrary(target: JsonObject, operation: PatchOperation, path?: string): void {
  let value = operation.value;
  // RFC 7644 §3.5.2.3: replace without a filter replaces all values of a multi-valued attribute.
  // scim-patch would instead write the single value into every element.
  if (operation.op === 'replace' && path !== undefined && Array.isArray(target[path]) && !Array.isArray(value)) {
    value = [value];
  }
  const libraryOperation = { op: operation.op as 'add' | 'replace', path, value };
  runLibrary(operation, () => scimPatch(asLibraryResource(target), [libraryOperation], LIBRARY_OPTIONS));
}

/** Removes `path` (relative, no URN or filter) from `target` with scim-patch. Mutates `target`. */
export function removeWithLibrary(target: JsonObject, operation: PatchOperation, path: string): void {
  runLibrary(operation, () => scimPatch(asLibraryResource(target), [{ op: 'remove', path }], LIBRARY_OPTIONS));
}

/** The caller passes a copy, so scim-patch may change it in place. */
const LIBRARY_OPTIONS = { mutateDocument: true, treatMissingAsAdd: true };

/**
 * scim-patch types its input as a resource with `meta` and `schemas`, but only reads the
 * attributes named in the path, so any JSON object (an extension or one array element) works.
 */
function asLibraryResource(target: JsonObject): ScimResource {
  return target as unknown as ScimResource;
}

function runLibrary(operation: PatchOperation, apply: () => unknown): void {
  try {
    apply();
  } catch (error) {
    if (!(error instanceof ScimPatchLibraryError)) throw error;
    throw new ScimError(
      400,
      `${describeOperation(operation)} failed: ${error.message}`,
      (error.scimCode as ScimErrorType | undefined) ?? 'invalidValue',
    );
  }
}

/** Names an operation in error messages, e.g. `PATCH operation 2 (replace "name.givenName")`. */
export function describeOperation(operation: PatchOperation): string {
  const path = operation.path === undefined ? 'without path' : JSON.stringify(operation.path);
  return `PATCH operation ${operation.index + 1} (${operation.op} ${path})`;
}
