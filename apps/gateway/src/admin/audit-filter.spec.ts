import { BadRequestException } from '@nestjs/common';
import { DEFAULT_AUDIT_PAGE, parseAuditFilter } from './audit-filter';

function messageOf(query: Record<string, unknown>): string {
  try {
    parseAuditFilter(query);
  } catch (error) {
    if (error instanceof BadRequestException) return error.message;
    throw error;
  }
  return '';
}

describe('parseAuditFilter', () => {
  it('reads every filter and ignores empty values', () => {
    const filter = parseAuditFilter({
      integrationId: '0f8fad5b-d9cb-469f-a165-70867728950e',
      user: ' Ada@Example.test ',
      action: 'dropbox_sign.*',
      outcome: 'failure',
      from: '2025-01-31T12:00:00Z',
      to: '',
      before: '42',
      limit: '10',
    });

    expect(filter).toEqual({
      integrationId: '0f8fad5b-d9cb-469f-a165-70867728950e',
      user: 'Ada@Example.test',
      action: 'dropbox_sign.*',
      outcome: 'failure',
      from: new Date('2025-01-31T12:00:00Z'),
      to: undefined,
      before: '42',
      limit: 10,
    });
  });

  it('defaults the page size', () => {
    expect(parseAuditFilter({}).limit).toBe(DEFAULT_AUDIT_PAGE);
  });

  it('takes a time without zone, as datetime-local sends it, as UTC', () => {
    expect(parseAuditFilter({ from: '2025-01-31T12:00' }).from).toEqual(new Date('2025-01-31T12:00:00Z'));
    expect(parseAuditFilter({ to: '2025-01-31' }).to).toEqual(new Date('2025-01-31T00:00:00Z'));
    expect(parseAuditFilter({ from: '2025-01-31T12:00:00+02:00' }).from).toEqual(new Date('2025-01-31T10:00:00Z'));
  });

  it('names the invalid value and the fix', () => {
    expect(messageOf({ integrationId: 'abc' })).toBe('integrationId "abc" is not an integration id: use the id shown in the admin console');
    expect(messageOf({ outcome: 'maybe' })).toBe('outcome "maybe" is invalid: use one of success, failure, info');
    expect(messageOf({ from: 'yesterday' })).toBe('from "yesterday" is not a time: use ISO 8601 such as 2025-01-31T12:00:00Z');
    expect(messageOf({ to: '2025-13-45' })).toContain('to "2025-13-45" is not a time');
    expect(messageOf({ action: "x' OR 1=1" })).toContain('is invalid: give an action name');
    expect(messageOf({ before: '-1' })).toContain('before "-1" is not an event id');
    expect(messageOf({ limit: '5000' })).toBe('limit "5000" is invalid: give a whole number from 1 to 1000');
  });
});
