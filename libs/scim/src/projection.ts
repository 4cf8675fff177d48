import { JsonObject, isJsonObject } from './json';

/** Attributes that are returned even when `attributes` or `excludedAttributes` leave them out. */
const ALWAYS_RETURNED = new Set(['id', 'schemas', 'meta']);

/** Core schemas: an attribute qualified with one is a top-level attribute (RFC 7644 §3.10). */
const CORE_SCHEMA = /^urn:ietf:params:scim:schemas:core:2\.0:[a-z]+$/i;

/** Selected sub-attributes by lower-case attribute name; 'all' selects the whole attribute. */
type AttributeSelection = Map<string, Set<string> | 'all'>;

interface Selection {
  core: AttributeSelection;
  /** By lower-case extension URN: the whole extension object, or some of its attributes. */
  extensions: Map<string, AttributeSelection | 'all'>;
}

/**
 * Applies the `attributes` and `excludedAttributes` query parameters (RFC 7644 §3.4.2.5, §3.9)
 * to a resource and returns a new object. Names are comma-separated, case-insensitive, may be
 * dotted (`name.givenName`, `emails.value`) and URN-qualified
 * (`urn:…:enterprise:2.0:User:department`, or the URN alone for the whole extension).
 * `id`, `schemas` and `meta` are always returned. When both are given, `attributes` selects
 * first and `excludedAttributes` then removes from that selection.
 */
export function projectAttributes(
  resource: Record<string, unknown>,
  attributes?: string,
  excludedAttributes?: string,
): Record<string, unknown> {
  let result: JsonObject = resource;
  if (attributes !== undefined && attributes.trim() !== '') {
    result = selectAttributes(result, parseAttributeList(attributes), 'include');
  }
  if (excludedAttributes !== undefined && excludedAttributes.trim() !== '') {
    result = selectAttributes(result, parseAttributeList(excludedAttributes), 'exclude');
  }
  return result === resource ? { ...resource } : result;
}

function parseAttributeList(list: string): Selection {
  const selection: Selection = { core: new Map(), extensions: new Map() };
  for (const name of list.split(',').map((part) => part.trim().toLowerCase()).filter(Boolean)) {
    addName(selection, name);
  }
  return selection;
}

function addName(selection: Selection, name: string): void {
  const separator = name.lastIndexOf(':');
  const urn = name.slice(0, Math.max(separator, 0));
  const [attribute, subAttribute] = name.slice(separator + 1).split('.', 2);

  if (separator < 0 || CORE_SCHEMA.test(urn)) {
    addAttribute(selection.core, attribute, subAttribute);
    return;
  }
  // A bare URN names the whole extension; its last segment ("user") is not an attribute.
  selection.extensions.set(name, 'all');
  const extension = selection.extensions.get(urn) ?? new Map<string, Set<string> | 'all'>();
  if (extension !== 'all') {
    addAttribute(extension, attribute, subAttribute);
    selection.extensions.set(urn, extension);
  }
}

function addAttribute(selection: AttributeSelection, attribute: string, subAttribute: string | undefined): void {
  const current = selection.get(attribute);
  if (subAttribute === undefined) selection.set(attribute, 'all');
  else if (current === undefined) selection.set(attribute, new Set([subAttribute]));
  else if (current !== 'all') current.add(subAttribute);
}

function selectAttributes(resource: JsonObject, selection: Selection, mode: 'include' | 'exclude'): JsonObject {
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(resource)) {
    const lowerKey = key.toLowerCase();
    const isExtension = lowerKey.startsWith('urn:') && isJsonObject(value);
    const chosen = ALWAYS_RETURNED.has(lowerKey)
      ? value
      : isExtension
        ? selectExtension(value, selection.extensions.get(lowerKey), mode)
        : selectValue(value, selection.core.get(lowerKey), mode);
    if (chosen !== undefined) result[key] = chosen;
  }
  return result;
}

function selectExtension(
  extension: JsonObject,
  selection: AttributeSelection | 'all' | undefined,
  mode: 'include' | 'exclude',
): unknown {
  if (selection === 'all') return mode === 'include' ? extension : undefined;
  if (selection === undefined) return mode === 'include' ? undefined : extension;

  const result = selectAttributes(extension, { core: selection, extensions: new Map() }, mode);
  return Object.keys(result).length === 0 && mode === 'include' ? undefined : result;
}

/** Selects one attribute: all of it, or some sub-attributes of a complex or multi-valued one. */
function selectValue(value: unknown, selection: Set<string> | 'all' | undefined, mode: 'include' | 'exclude'): unknown {
  if (selection === 'all') return mode === 'include' ? value : undefined;
  if (selection === undefined) return mode === 'include' ? undefined : value;

  if (Array.isArray(value)) return value.map((element) => selectSubAttributes(element, selection, mode));
  if (isJsonObject(value)) return selectSubAttributes(value, selection, mode);
  return mode === 'include' ? undefined : value;
}

function selectSubAttributes(value: unknown, subAttributes: Set<string>, mode: 'include' | 'exclude'): unknown {
  if (!isJsonObject(value)) return value;
  const keep = (key: string): boolean => subAttributes.has(key.toLowerCase()) === (mode === 'include');
  return Object.fromEntries(Object.entries(value).filter(([key]) => keep(key)));
}
