import { parseFilter } from './filter-parse';
import { catchScimError } from './scim-error.testing';

describe('parseFilter', () => {
  it('parses Okta userName lookup', () => {
    expect(parseFilter('userName eq "jo.tester@example.test"')).toEqual({
      op: 'eq',
      attrPath: 'userName',
      compValue: 'jo.tester@example.test',
    });
  });

  it('reads a bare value as a string', () => {
    expect(parseFilter('externalId eq jtester')).toEqual({ op: 'eq', attrPath: 'externalId', compValue: 'jtester' });
  });

  it('reads a bare email as a string', () => {
    expect(parseFilter('userName eq jo@example.test')).toEqual({ op: 'eq', attrPath: 'userName', compValue: 'jo@example.test' });
  });

  it('reads bare digits as a string', () => {
    expect(parseFilter('externalId eq 00123')).toEqual({ op: 'eq', attrPath: 'externalId', compValue: '00123' });
  });

  it('reads bare true, false and null as JSON literals', () => {
    expect(parseFilter('active eq True')).toEqual({ op: 'eq', attrPath: 'active', compValue: true });
    expect(parseFilter('active eq false')).toEqual({ op: 'eq', attrPath: 'active', compValue: false });
    expect(parseFilter('title eq null')).toEqual({ op: 'eq', attrPath: 'title', compValue: null });
  });

  it('keeps a quoted "true" as a string', () => {
    expect(parseFilter('title eq "true"')).toEqual({ op: 'eq', attrPath: 'title', compValue: 'true' });
  });

  it('decodes JSON escapes in quoted values', () => {
    expect(parseFilter('userName eq "a\\\\b\\"c\\u00e9"')).toEqual({ op: 'eq', attrPath: 'userName', compValue: 'a\\b"cé' });
  });

  it('keeps a stray backslash literally', () => {
    expect(parseFilter('externalId eq "CORP\\user"')).toEqual({ op: 'eq', attrPath: 'externalId', compValue: 'CORP\\user' });
  });

  it('keeps brackets and parentheses inside quoted values', () => {
    expect(parseFilter('displayName eq "a]b)(c[ and "')).toEqual({ op: 'eq', attrPath: 'displayName', compValue: 'a]b)(c[ and ' });
  });

  it('moves a value path sub-attribute into the brackets', () => {
    expect(parseFilter('emails[type eq "work"].value eq "jo@example.test"')).toEqual({
      op: '[]',
      attrPath: 'emails',
      valFilter: {
        op: 'and',
        filters: [
          { op: 'eq', attrPath: 'type', compValue: 'work' },
          { op: 'eq', attrPath: 'value', compValue: 'jo@example.test' },
        ],
      },
    });
  });

  it('groups an or inside brackets before adding the sub-attribute', () => {
    const parsed = parseFilter('emails[type eq "work" or type eq "home"].value pr');
    expect(parsed).toEqual({
      op: '[]',
      attrPath: 'emails',
      valFilter: {
        op: 'and',
        filters: [
          {
            op: 'or',
            filters: [
              { op: 'eq', attrPath: 'type', compValue: 'work' },
              { op: 'eq', attrPath: 'type', compValue: 'home' },
            ],
          },
          { op: 'pr', attrPath: 'value' },
        ],
      },
    });
  });

  it('lower-cases operators', () => {
    expect(parseFilter('userName EQ "x" AND active Eq true')).toEqual({
      op: 'and',
      filters: [
        { op: 'eq', attrPath: 'userName', compValue: 'x' },
        { op: 'eq', attrPath: 'active', compValue: true },
      ],
    });
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['missing value', 'userName eq'],
    ['unknown operator', 'userName is "x"'],
    ['unclosed string', 'userName eq "x'],
    ['unclosed parenthesis', '(userName eq "x"'],
    ['unclosed bracket', 'emails[type eq "work"'],
    ['dangling and', 'userName eq "x" and'],
    ['sub-attribute without operator', 'emails[type eq "work"].value'],
  ])('rejects %s with invalidFilter', (_case, filter) => {
    const error = catchScimError(() => parseFilter(filter));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe('invalidFilter');
    expect(error.detail).toContain(`filter ${JSON.stringify(filter)} is invalid`);
  });
});
