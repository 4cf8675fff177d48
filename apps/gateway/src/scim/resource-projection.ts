import { projectAttributes } from '@scimify/scim';

/** A parsed query string; a parameter given twice arrives as an array. */
export type ScimQuery = Record<string, unknown>;

/** The `attributes` and `excludedAttributes` query parameters (RFC 7644 §3.4.2.5), comma-separated. */
export interface Projection {
  attributes?: string;
  excludedAttributes?: string;
}

/** Reads the projection parameters; a repeated parameter counts as one comma-separated list. */
export function projectionOf(query: ScimQuery): Projection {
  return { attributes: listParameter(query.attributes), excludedAttributes: listParameter(query.excludedAttributes) };
}

/** Applies a projection; without one the resource is returned unchanged, not copied. */
export function projectResource(resource: Record<string, unknown>, projection: Projection): Record<string, unknown> {
  if (projection.attributes === undefined && projection.excludedAttributes === undefined) return resource;

  return projectAttributes(resource, projection.attributes, projection.excludedAttributes);
}

function listParameter(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string').join(',');

  return undefined;
}
