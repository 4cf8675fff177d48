import { LIST_RESPONSE_SCHEMA } from './schemas';
import { ScimError } from './scim-error';

/** Pagination of a list request (RFC 7644 §3.4.2.4); `startIndex` is 1-based. */
export interface ListParams {
  startIndex: number;
  count: number;
}

/** The ListResponse body of RFC 7644 §3.4.2. */
export interface ListResponse<T> {
  schemas: [typeof LIST_RESPONSE_SCHEMA];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: T[];
}

/**
 * Reads `startIndex` and `count` from a query string. RFC 7644 §3.4.2.4: a startIndex below 1
 * means 1 and a negative count means 0; a count above `maxResults` is cut to it, and a missing
 * count means `maxResults`. Throws ScimError 400 invalidValue for values that are not integers.
 */
export function parseListParams(query: { startIndex?: unknown; count?: unknown }, maxResults: number): ListParams {
  const startIndex = readInteger('startIndex', query.startIndex) ?? 1;
  const count = readInteger('count', query.count) ?? maxResults;
  return {
    startIndex: Math.max(startIndex, 1),
    count: Math.min(Math.max(count, 0), maxResults),
  };
}

/**
 * Builds a ListResponse. The counters must be JSON numbers because Okta's import stops on a
 * string such as "1", and `Resources` must be an array even when empty, or Okta and Entra
 * report "No results". Throws TypeError when a counter is not an integer (a caller bug, such
 * as passing Postgres' count(*) string through).
 */
export function listResponse<T>(resources: T[], totalResults: number, startIndex: number): ListResponse<T> {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: requireInteger('totalResults', totalResults),
    startIndex: requireInteger('startIndex', startIndex),
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

/** Returns undefined for a missing or empty value; huge integers are capped so SQL OFFSET stays valid. */
function readInteger(name: string, value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;

  const text = typeof value === 'string' ? value.trim() : undefined;
  const number = typeof value === 'number' ? value : text !== undefined && /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(number)) {
    throw new ScimError(400, `${name} ${JSON.stringify(value)} is invalid: send a whole number such as 1`, 'invalidValue');
  }
  return Math.min(Math.max(number, -Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER);
}

function requireInteger(name: string, value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  throw new TypeError(`${name} ${JSON.stringify(value)} must be an integer number for a SCIM ListResponse`);
}
