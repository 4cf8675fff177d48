import { BadRequestException } from '@nestjs/common';
import { isUuid } from '@scimify/integrations';
import { AuditOutcome } from '@scimify/persistence';

const OUTCOMES: AuditOutcome[] = ['success', 'failure', 'info'];
/** Largest page of the audit API and page. */
export const MAX_AUDIT_PAGE = 1000;
export const DEFAULT_AUDIT_PAGE = 100;
const ACTION_PATTERN = /^[a-z0-9_.]{1,64}\*?$/;

/** Audit filters as the API and the console page take them, before users are resolved. */
export interface AuditFilterInput {
  integrationId?: string;
  /** userName, email address or SCIM id of a user. */
  user?: string;
  action?: string;
  outcome?: AuditOutcome;
  from?: Date;
  to?: Date;
  before?: string;
  limit: number;
}

/**
 * Reads audit filters from query parameters: integrationId, user, action (exact, or a prefix
 * ending with `*`), outcome, from and to (ISO 8601; a time without zone is UTC), before (an
 * event id, for the next page) and limit. Throws BadRequestException naming the invalid value.
 */
export function parseAuditFilter(query: Record<string, unknown>): AuditFilterInput {
  const value = (name: string): string | undefined => {
    const raw = query[name];
    return typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : undefined;
  };

  return {
    integrationId: checked(value('integrationId'), isUuid, (given) => `integrationId "${given}" is not an integration id: use the id shown in the admin console`),
    user: checked(value('user'), (given) => given.length <= 320, () => 'user is longer than 320 characters: give a userName, email address or SCIM id'),
    action: checked(value('action'), (given) => ACTION_PATTERN.test(given), (given) => `action "${given}" is invalid: give an action name such as user_created, or a prefix ending with * such as dropbox_sign.*`),
    outcome: checked(value('outcome'), isOutcome, (given) => `outcome "${given}" is invalid: use one of ${OUTCOMES.join(', ')}`),
    from: parseTime('from', value('from')),
    to: parseTime('to', value('to')),
    before: checked(value('before'), (given) => /^\d{1,19}$/.test(given), (given) => `before "${given}" is not an event id: use nextBefore from the previous page`),
    limit: parseLimit(value('limit')),
  };
}

function checked<T extends string>(given: string | undefined, valid: (value: string) => boolean, message: (value: string) => string): T | undefined {
  if (given === undefined) return undefined;
  if (!valid(given)) throw new BadRequestException(message(given));

  return given as T;
}

function isOutcome(value: string): boolean {
  return (OUTCOMES as string[]).includes(value);
}

/** Reads an ISO 8601 time; one without a zone, as an HTML datetime-local field sends it, is taken as UTC. */
function parseTime(name: string, given: string | undefined): Date | undefined {
  if (given === undefined) return undefined;

  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(given);
  const dateOnly = !given.includes('T');
  const looksLikeIso = /^\d{4}-\d{2}-\d{2}(T[\d:.]+)?/.test(given);
  const time = new Date(hasZone || dateOnly ? given : `${given}Z`);
  if (!looksLikeIso || Number.isNaN(time.getTime())) {
    throw new BadRequestException(`${name} "${given}" is not a time: use ISO 8601 such as 2025-01-31T12:00:00Z`);
  }

  return time;
}

function parseLimit(given: string | undefined): number {
  if (given === undefined) return DEFAULT_AUDIT_PAGE;

  const limit = Number(given);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_PAGE) {
    throw new BadRequestException(`limit "${given}" is invalid: give a whole number from 1 to ${MAX_AUDIT_PAGE}`);
  }

  return limit;
}
