import { QueryFailedError } from 'typeorm';

/**
 * SQLSTATE classes and codes that mean the database is unreachable or shutting down, not that
 * the statement was wrong: connection exceptions (08), operator intervention (57P0x) and
 * insufficient resources (53).
 */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0)/;

/** Node socket errors that the pg driver passes through when Postgres is away. */
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);

/** Tells whether an error means that Postgres is unavailable, so that the request may be retried later. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const cause = error instanceof QueryFailedError ? (error.driverError as unknown) : error;
  if (!(cause instanceof Error)) return false;

  const code = (cause as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_SOCKET_CODES.has(code))) return true;

  // pg raises these without a code when a pooled connection dies or the pool cannot connect in time.
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly/i.test(cause.message);
}

/** Returns the SQLSTATE of a failed statement (for example 23505 for a unique violation), or null for other errors. */
export function sqlStateOf(error: unknown): string | null {
  const code = error instanceof QueryFailedError ? (error.driverError as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : null;
}
