import { badRequest } from './api-error';
import { isPlan, isRoleName, Plan, RoleName, ROLE_NAMES, PLANS } from './fake-state';
import { JsonObject } from './http-io';

/** A deliberately loose check: one "@" with text on both sides and no whitespace. */
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+$/;

/** Reads an optional string field. A missing field, null or an empty string count as absent. */
export function optionalString(body: JsonObject | null, field: string): string | undefined {
  const value = body?.[field];
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw badRequest(`${field} must be a string.`, field);
  }
  return value.trim();
}

export function optionalEmail(body: JsonObject | null, field: string): string | undefined {
  const value = optionalString(body, field);
  if (value !== undefined && !EMAIL_PATTERN.test(value)) {
    throw badRequest(`${field} "${value}" is not a valid email address.`, field);
  }
  return value;
}

export function optionalRole(body: JsonObject | null, field: string): RoleName | undefined {
  const value = optionalString(body, field);
  if (value !== undefined && !isRoleName(value)) {
    throw badRequest(`${field} "${value}" is invalid. Use one of: ${ROLE_NAMES.join(', ')}.`, field);
  }
  return value;
}

export function optionalPlan(body: JsonObject | null, field: string): Plan | undefined {
  const value = optionalString(body, field);
  if (value !== undefined && !isPlan(value)) {
    throw badRequest(`${field} "${value}" is invalid. Use one of: ${PLANS.join(', ')}.`, field);
  }
  return value;
}

/** Reads an optional positive integer, given as a JSON number or a decimal string. */
export function optionalPositiveInteger(body: JsonObject | null, field: string): number | undefined {
  const value = body?.[field];
  if (value === undefined || value === null) {
    return undefined;
  }
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1) {
    throw badRequest(`${field} must be a positive integer, got ${JSON.stringify(value)}.`, field);
  }
  return number;
}
