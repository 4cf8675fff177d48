import { compileUserFilter, likePattern } from './filter-sql';
import { catchScimError } from './scim-error.testing';

const EMAILS =
  "jsonb_array_elements(CASE WHEN jsonb_typeof(u.resource->'emails') = 'array' THEN u.resource->'emails' ELSE '[]'::jsonb END) e";
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('compileUserFilter lookups', () => {
  it('compiles Okta userName eq to the indexed expression', () => {
    expect(compileUserFilter('userName eq "jo.tester@example.test"', 2)).toEqual({
      sql: 'lower(u.user_name) = lower($2)',
      params: ['jo.tester@example.test'],
    });
  });

  it('keeps the userName case in the parameter', () => {
    expect(compileUserFilter('userName eq "JO.TESTER@EXAMPLE.TEST"', 2).params).toEqual(['JO.TESTER@EXAMPLE.TEST']);
  });

  it('compiles Entra externalId eq case-exact', () => {
    expect(compileUserFilter('externalId eq "jtester"', 2)).toEqual({ sql: 'u.external_id = $2', params: ['jtester'] });
  });

  it('compiles a bare externalId value', () => {
    expect(compileUserFilter('externalId eq jtester', 2)).toEqual({ sql: 'u.external_id = $2', params: ['jtester'] });
  });

  it('compiles Entra work email lookup to one element', () => {
    expect(compileUserFilter('emails[type eq "work"].value eq "jo@example.test"', 2)).toEqual({
      sql: `EXISTS (SELECT 1 FROM ${EMAILS} WHERE (lower(e->>'type') = lower($2) AND lower(e->>'value') = lower($3)))`,
      params: ['work', 'jo@example.test'],
    });
  });

  it('compiles userName and externalId joined by and', () => {
    expect(compileUserFilter('userName eq "a" and externalId eq "b"', 5)).toEqual({
      sql: '(lower(u.user_name) = lower($5) AND u.external_id = $6)',
      params: ['a', 'b'],
    });
  });

  it('numbers parameters from firstParamIndex', () => {
    expect(compileUserFilter('userName eq "a"', 1).sql).toBe('lower(u.user_name) = lower($1)');
    expect(compileUserFilter('userName eq "a"', 10).sql).toBe('lower(u.user_name) = lower($10)');
  });
});

describe('compileUserFilter attributes', () => {
  it.each([
    ['id eq "6c5bb468-14b2-4183-baf2-06d523e03bd3"', 'u.id::text = $2'],
    ['active eq false', 'u.active = $2'],
    ['meta.resourceType eq "User"', "'User'::text = $2"],
    ['dropboxSign_role eq "admin"', 'lower(u.role) = lower($2)'],
    ['urn:ietf:params:scim:schemas:extension:custom:2.0:User:dropboxSign_role eq "Admin"', 'lower(u.role) = lower($2)'],
    ['displayName eq "Jo"', "lower(u.resource #>> '{displayName}') = lower($2)"],
    ['name.givenName eq "Jo"', "lower(u.resource #>> '{name,givenName}') = lower($2)"],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName eq "jo"', 'lower(u.user_name) = lower($2)'],
    [`${ENTERPRISE}:employeeNumber eq "E-1"`, `lower(u.resource #>> '{${ENTERPRISE},employeeNumber}') = lower($2)`],
    [`${ENTERPRISE}:manager.value eq "m"`, `lower(u.resource #>> '{${ENTERPRISE},manager,value}') = lower($2)`],
    ['USERNAME eq "jo"', 'lower(u.user_name) = lower($2)'],
  ])('compiles %s', (filter, sql) => {
    expect(compileUserFilter(filter, 2).sql).toBe(sql);
  });

  it('compiles meta.created as a timestamp', () => {
    expect(compileUserFilter('meta.created gt "2024-05-01T12:00:00+02:00"', 2)).toEqual({
      sql: 'u.created_at > $2::timestamptz',
      params: ['2024-05-01T10:00:00.000Z'],
    });
  });

  it('reads a meta.lastModified without zone as UTC', () => {
    expect(compileUserFilter('meta.lastModified le 2024-05-01T12:00:00', 2)).toEqual({
      sql: 'u.updated_at <= $2::timestamptz',
      params: ['2024-05-01T12:00:00.000Z'],
    });
  });

  it('compiles active with the string "True" as a boolean', () => {
    expect(compileUserFilter('active eq "True"', 2).params).toEqual([true]);
  });

  it('compiles emails.value through the elements', () => {
    expect(compileUserFilter('emails.value eq "a@example.test"', 2).sql).toBe(
      `EXISTS (SELECT 1 FROM ${EMAILS} WHERE lower(e->>'value') = lower($2))`,
    );
  });

  it('compiles emails without sub-attribute as emails.value', () => {
    expect(compileUserFilter('emails co "@example"', 2).sql).toBe(
      `EXISTS (SELECT 1 FROM ${EMAILS} WHERE e->>'value' ILIKE $2 ESCAPE '\\')`,
    );
  });

  it('compiles a primary work email filter', () => {
    expect(compileUserFilter('emails[type eq "work" and primary eq true]', 2)).toEqual({
      sql: `EXISTS (SELECT 1 FROM ${EMAILS} WHERE (lower(e->>'type') = lower($2) AND lower(e->>'primary') = $3))`,
      params: ['work', 'true'],
    });
  });

  it('compiles addresses and phoneNumbers sub-attributes', () => {
    expect(compileUserFilter('addresses[type eq "work"].locality sw "Spring"', 2).sql).toContain(
      "u.resource->'addresses'",
    );
    expect(compileUserFilter('phoneNumbers.value pr', 2).sql).toContain("(e->>'value' IS NOT NULL AND e->>'value' <> '')");
  });

  it('compiles emails pr to any element', () => {
    expect(compileUserFilter('emails pr', 2)).toEqual({ sql: `EXISTS (SELECT 1 FROM ${EMAILS})`, params: [] });
  });
});

describe('compileUserFilter operators', () => {
  it.each([
    ['userName ne "a"', 'lower(u.user_name) IS DISTINCT FROM lower($2)', ['a']],
    ['userName co "a"', "u.user_name ILIKE $2 ESCAPE '\\'", ['%a%']],
    ['userName sw "a"', "u.user_name ILIKE $2 ESCAPE '\\'", ['a%']],
    ['userName ew "a"', "u.user_name ILIKE $2 ESCAPE '\\'", ['%a']],
    ['userName gt "a"', 'lower(u.user_name) > lower($2)', ['a']],
    ['userName ge "a"', 'lower(u.user_name) >= lower($2)', ['a']],
    ['userName lt "a"', 'lower(u.user_name) < lower($2)', ['a']],
    ['userName le "a"', 'lower(u.user_name) <= lower($2)', ['a']],
    ['externalId co "a"', "u.external_id LIKE $2 ESCAPE '\\'", ['%a%']],
    ['externalId ne "a"', 'u.external_id IS DISTINCT FROM $2', ['a']],
    ['externalId pr', "(u.external_id IS NOT NULL AND u.external_id <> '')", []],
    ['active pr', 'u.active IS NOT NULL', []],
    ['active ne true', 'u.active IS DISTINCT FROM $2', [true]],
    ['title pr', "(u.resource #>> '{title}' IS NOT NULL AND u.resource #>> '{title}' <> '')", []],
  ])('compiles %s', (filter, sql, params) => {
    expect(compileUserFilter(filter, 2)).toEqual({ sql, params });
  });

  it('compiles or, and, not and grouping', () => {
    expect(compileUserFilter('(userName eq "a" or userName eq "b") and not (active eq false)', 2)).toEqual({
      sql: '((lower(u.user_name) = lower($2) OR lower(u.user_name) = lower($3)) AND NOT COALESCE(u.active = $4, false))',
      params: ['a', 'b', false],
    });
  });

  it('gives and precedence over or', () => {
    expect(compileUserFilter('title eq "a" or title eq "b" and title eq "c"', 2).sql).toBe(
      "(lower(u.resource #>> '{title}') = lower($2) OR (lower(u.resource #>> '{title}') = lower($3) AND lower(u.resource #>> '{title}') = lower($4)))",
    );
  });

  it('compiles not inside a value filter', () => {
    expect(compileUserFilter('emails[not (type eq "home")]', 2).sql).toBe(
      `EXISTS (SELECT 1 FROM ${EMAILS} WHERE NOT COALESCE(lower(e->>'type') = lower($2), false))`,
    );
  });
});

describe('compileUserFilter values', () => {
  const hostileValues = [
    `o'brien@example.test`,
    `x"; DROP TABLE scim_user; --`,
    '100%_sure',
    'a*b.c+d(e)',
    'back\\slash\\',
    'ünïcødé-名前-😀',
    `$2 OR 1=1`,
  ];

  it.each(hostileValues)('passes %j only as a parameter', (value) => {
    const compiled = compileUserFilter(`userName eq ${JSON.stringify(value)}`, 2);
    expect(compiled).toEqual({ sql: 'lower(u.user_name) = lower($2)', params: [value] });
  });

  it.each(hostileValues)('escapes %j for co as a literal pattern', (value) => {
    const compiled = compileUserFilter(`displayName co ${JSON.stringify(value)}`, 2);
    expect(compiled.sql).toBe("u.resource #>> '{displayName}' ILIKE $2 ESCAPE '\\'");
    expect(compiled.params).toEqual([`%${value.replace(/[\\%_]/g, (char) => `\\${char}`)}%`]);
  });

  it('escapes backslash, percent and underscore in LIKE patterns', () => {
    expect(likePattern('co', 'a\\b%c_d')).toBe('%a\\\\b\\%c\\_d%');
    expect(likePattern('sw', '50%')).toBe('50\\%%');
    expect(likePattern('ew', '_x')).toBe('%\\_x');
  });

  it('leaves dot, plus and star unescaped because LIKE treats them literally', () => {
    expect(likePattern('co', 'first+x@a.b*')).toBe('%first+x@a.b*%');
  });
});

describe('compileUserFilter errors', () => {
  it.each([
    ['unknown attribute', 'password eq "x"'],
    ['unknown extension attribute', `${ENTERPRISE}:salary eq "1"`],
    ['unknown schema', 'urn:example:Thing:userName eq "x"'],
    ['unknown sub-attribute', 'emails.colour eq "red"'],
    ['value filter on a single-valued attribute', 'name[givenName eq "Jo"]'],
    ['nested value filter', 'emails[addresses[type eq "work"]]'],
    ['gt on a boolean', 'active gt true'],
    ['co on a boolean', 'active co "t"'],
    ['non-boolean for active', 'active eq "yes"'],
    ['co on a date', 'meta.created co "2024"'],
    ['invalid date', 'meta.created gt "yesterday"'],
    ['null comparison', 'title eq null'],
    ['boolean for a string', 'userName eq true'],
    ['bad syntax', 'userName eq "x" or'],
  ])('rejects %s with invalidFilter', (_case, filter) => {
    const error = catchScimError(() => compileUserFilter(filter, 2));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe('invalidFilter');
    expect(error.detail).toContain(`filter ${JSON.stringify(filter)} is invalid`);
  });

  it('names the attribute and the filterable ones', () => {
    const error = catchScimError(() => compileUserFilter('password eq "x"', 2));
    expect(error.detail).toMatch(/^filter "password eq \\"x\\"" is invalid: attribute "password" is not filterable; use one of id, userName, /);
  });
});
