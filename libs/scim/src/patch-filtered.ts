import { Tester } from 'scim2-parse-filter';
import { CompareValue, Filter } from './filter-parse';
import { JsonObject, findKey, isJsonObject } from './json';
import { PatchOperation, addOrReplaceWithLibrary, describeOperation, removeWithLibrary } from './patch-library';
import { ScimError } from './scim-error';

/**
 * Evaluates value filters against array elements. Strings compare case-insensitively, because
 * the sub-attributes that filters select on (`type`, `value`, `display`) have caseExact false
 * in RFC 7643 §4.1.2, and "True" matches true because Entra sends booleans as strings.
 * scim2-parse-filter's own Tester compares with ===.
 */
class ElementTester extends Tester {
  override eq(actual: unknown, expected: CompareValue): boolean {
    return normalize(actual) === normalize(expected);
  }

  override ne(actual: unknown, expected: CompareValue): boolean {
    return !this.eq(actual, expected);
  }

  override co(actual: unknown, expected: CompareValue): boolean {
    return typeof actual === 'string' && typeof expected === 'string' && actual.toLowerCase().includes(expected.toLowerCase());
  }

  override sw(actual: unknown, expected: CompareValue): boolean {
    return typeof actual === 'string' && typeof expected === 'string' && actual.toLowerCase().startsWith(expected.toLowerCase());
  }

  override ew(actual: unknown, expected: CompareValue): boolean {
    return typeof actual === 'string' && typeof expected === 'string' && actual.toLowerCase().endsWith(expected.toLowerCase());
  }
}

function normalize(value: unknown): unknown {
  if (typeof value === 'string') return value.toLowerCase();
  if (typeof value === 'boolean') return String(value);
  return value;
}

const tester = new ElementTester();

/**
 * Applies an operation whose path has a value filter, e.g. `emails[type eq "work"].value`, to
 * `container[attribute]`. Mutates `container`.
 *
 * This is written here instead of using scim-patch (0.8.3) for four reasons. scim-patch splits
 * a path at a ":" inside the filter value, and it throws on removes that match nothing. It
 * cannot filter a single-valued complex attribute such as `manager[value eq "x"]`, and it
 * creates a missing element only for some path shapes.
 * - add/replace with no match creates the element from the filter's `eq` terms, so Entra's
 *   `emails[type eq "work"].value` creates `{type: "work", value: …}` (RFC 7644 §3.5.2.1 does
 *   not require noTarget for add), and later operations with the same filter reuse that element.
 * - remove with no match changes nothing, so a retried remove still succeeds.
 */
export function applyFilteredOperation(
  container: JsonObject,
  attribute: string,
  filter: Filter,
  subAttribute: string | undefined,
  operation: PatchOperation,
): void {
  const current = container[attribute];
  if (isJsonObject(current)) {
    applyToSingleComplex(container, attribute, current, filter, subAttribute, operation);
    return;
  }
  if (current !== undefined && !Array.isArray(current)) {
    throw new ScimError(400, `${describeOperation(operation)} failed: ${attribute} is not multi-valued, so it cannot take a filter`, 'invalidPath');
  }
  const elements: unknown[] = current ?? [];
  const matches = elements.filter((element): element is JsonObject => isJsonObject(element) && tester.test(element, filter));

  if (operation.op === 'remove') {
    removeFromElements(container, attribute, elements, matches, subAttribute);
    return;
  }
  if (matches.length === 0) {
    const seed = seedElement(filter);
    if (!seed) throw noTarget(operation, 'the filter matches no value and has no "eq" terms to build a new value from');
    container[attribute] = [...elements, seed];
    matches.push(seed);
  }
  for (const element of matches) setOnElement(element, subAttribute, operation);
}

function applyToSingleComplex(
  container: JsonObject,
  attribute: string,
  current: JsonObject,
  filter: Filter,
  subAttribute: string | undefined,
  operation: PatchOperation,
): void {
  const matched = tester.test(current, filter);
  if (operation.op !== 'remove') {
    if (!matched) throw noTarget(operation, `${attribute} does not match the filter`);
    setOnElement(current, subAttribute, operation);
  } else if (matched && subAttribute === undefined) {
    delete container[attribute];
  } else if (matched && subAttribute !== undefined) {
    removeWithLibrary(current, operation, findKey(current, subAttribute) ?? subAttribute);
  }
}

/** RFC 7644 §3.5.2.2: an emptied multi-valued attribute is unassigned, so its key goes. */
function removeFromElements(
  container: JsonObject,
  attribute: string,
  elements: unknown[],
  matches: JsonObject[],
  subAttribute: string | undefined,
): void {
  if (subAttribute !== undefined) {
    for (const element of matches) delete element[findKey(element, subAttribute) ?? subAttribute];
    return;
  }
  const remaining = elements.filter((element) => !matches.includes(element as JsonObject));
  if (remaining.length === 0) delete container[attribute];
  else container[attribute] = remaining;
}

function setOnElement(element: JsonObject, subAttribute: string | undefined, operation: PatchOperation): void {
  if (subAttribute !== undefined) {
    addOrReplaceWithLibrary(element, operation, findKey(element, subAttribute) ?? subAttribute);
    return;
  }
  if (!isJsonObject(operation.value)) {
    throw new ScimError(
      400,
      `${describeOperation(operation)} failed: value ${JSON.stringify(operation.value)} must be an object of sub-attributes`,
      'invalidValue',
    );
  }
  addOrReplaceWithLibrary(element, operation);
}

/** Builds `{type: "work"}` from `type eq "work"`, or from an `and` of such terms. */
function seedElement(filter: Filter): JsonObject | undefined {
  if (filter.op === 'eq' && !filter.attrPath.includes('.') && !filter.attrPath.includes(':')) {
    return { [filter.attrPath]: filter.compValue };
  }
  if (filter.op !== 'and') return undefined;

  const seeds = filter.filters.map(seedElement);
  if (seeds.some((seed) => seed === undefined)) return undefined;
  return Object.assign({}, ...seeds) as JsonObject;
}

function noTarget(operation: PatchOperation, reason: string): ScimError {
  return new ScimError(400, `${describeOperation(operation)} failed: ${reason}. Add the value first`, 'noTarget');
}
