/**
 * Tells whether an `If-Match` or `If-None-Match` header names the entity tag `W/"<version>"`.
 * Comparison is weak (RFC 7232 §2.3.2): `W/"3"` and `"3"` both match version 3, because the
 * gateway only issues weak tags (RFC 7644 §3.14) and clients copy them with or without the
 * prefix. `*` matches any version. A missing header matches nothing.
 */
export function etagHeaderMatches(header: string | undefined, version: number): boolean {
  if (header === undefined || header.trim() === '') return false;
  if (header.trim() === '*') return true;

  return header.split(',').some((tag) => opaqueTag(tag) === `"${version}"`);
}

function opaqueTag(tag: string): string {
  const trimmed = tag.trim();
  return trimmed.startsWith('W/') ? trimmed.slice(2) : trimmed;
}
