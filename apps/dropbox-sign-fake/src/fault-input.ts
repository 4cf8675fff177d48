import { badRequest } from './api-error';
import { NewFault } from './faults';
import { JsonObject } from './http-io';
import { optionalString } from './request-fields';

/** Maximum latency a fault may add, so a mistyped value cannot hang a test run for hours. */
const MAX_FAULT_LATENCY_MS = 300_000;

/** Validates the body of `POST /_fake/faults`. */
export function parseFaultInput(body: JsonObject | null): NewFault {
  const status = readInteger(body, 'status', undefined);
  if (status !== 0 && (status < 400 || status > 599)) {
    throw badRequest(`status must be 0 (no error response) or from 400 to 599, got ${status}.`, 'status');
  }
  const latencyMs = readInteger(body, 'latencyMs', 0);
  if (latencyMs < 0 || latencyMs > MAX_FAULT_LATENCY_MS) {
    throw badRequest(`latencyMs must be from 0 to ${MAX_FAULT_LATENCY_MS}, got ${latencyMs}.`, 'latencyMs');
  }
  const count = readInteger(body, 'count', 1);
  if (count < 1 && count !== -1) {
    throw badRequest(`count must be a positive integer or -1 (until cleared), got ${count}.`, 'count');
  }
  const dropConnection = readBoolean(body, 'dropConnection');
  if (status === 0 && latencyMs === 0 && !dropConnection) {
    throw badRequest('A fault needs a status from 400 to 599, a latencyMs above 0 or dropConnection.', 'status');
  }
  return {
    status,
    errorName: optionalString(body, 'errorName'),
    errorMsg: optionalString(body, 'errorMsg'),
    latencyMs,
    remaining: count,
    method: optionalString(body, 'method')?.toUpperCase() ?? null,
    pathPrefix: readPathPrefix(body),
    dropConnection,
  };
}

/** Reads an integer field. Without a `fallback` the field is required. */
function readInteger(body: JsonObject | null, field: string, fallback: number | undefined): number {
  const value = body?.[field];
  if (value === undefined && fallback !== undefined) {
    return fallback;
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw badRequest(`${field} must be an integer, got ${JSON.stringify(value) ?? 'nothing'}.`, field);
  }
  return value;
}

function readBoolean(body: JsonObject | null, field: string): boolean {
  const value = body?.[field];
  if (value !== undefined && typeof value !== 'boolean') {
    throw badRequest(`${field} must be true or false, got ${JSON.stringify(value)}.`, field);
  }
  return value === true;
}

/** Reads `path` and adds the /v3 prefix to a path without it, such as `/team`. */
function readPathPrefix(body: JsonObject | null): string | null {
  const path = optionalString(body, 'path');
  if (path === undefined) {
    return null;
  }
  if (!path.startsWith('/')) {
    throw badRequest(`path must start with "/", got "${path}".`, 'path');
  }
  return path === '/v3' || path.startsWith('/v3/') ? path : `/v3${path}`;
}
