import { JsonObject } from './json';
import { PROVISIONING_SCHEMA } from './extension-schema-definitions';

const READ_ONLY_EXTENSION = PROVISIONING_SCHEMA.toLowerCase();

/**
 * Tells whether a PATCH path or value key names the read-only provisioning extension or one of
 * its attributes (`urn:scimify:…:User` or `urn:scimify:…:User:state`), ignoring case.
 */
export function isReadOnlyExtensionPath(path: string): boolean {
  const lower = path.trim().toLowerCase();
  return lower === READ_ONLY_EXTENSION || lower.startsWith(`${READ_ONLY_EXTENSION}:`);
}

/**
 * Removes the provisioning extension object and its `schemas` entry from a received User.
 * Okta's profile push sends back the whole resource it read, extension included; the worker
 * owns those values, so the copy is dropped instead of stored. Mutates `resource`.
 */
export function removeReadOnlyExtensions(resource: JsonObject): void {
  for (const key of Object.keys(resource)) {
    if (key.toLowerCase() === READ_ONLY_EXTENSION) delete resource[key];
  }

  if (Array.isArray(resource.schemas)) {
    resource.schemas = resource.schemas.filter((uri) => typeof uri !== 'string' || uri.toLowerCase() !== READ_ONLY_EXTENSION);
  }
}
