import { CORE_USER_SCHEMA, CUSTOM_USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from './schemas';
import { catchScimError } from './scim-error.testing';
import { coerceActive, parseUserResource } from './user-resource';

/** Okta's POST /Users body with password push on. */
const OKTA_CREATE = {
  schemas: [CORE_USER_SCHEMA],
  userName: 'jo.tester@example.test',
  name: { givenName: 'Jo', familyName: 'Tester' },
  emails: [{ primary: true, value: 'jo.tester@example.test', type: 'work' }],
  displayName: 'Jo Tester',
  locale: 'en-US',
  externalId: '00uabc123XYZ',
  groups: [],
  password: 'Secret-123',
  active: true,
};

/** Entra's POST /Users body, with the string "True" of Microsoft's reference test collection. */
const ENTRA_CREATE = {
  schemas: [CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
  externalId: '0a21f0f2-0000-4000-8000-000000000001',
  userName: 'Jo.Tester@Example.test',
  active: 'True',
  emails: [{ primary: true, type: 'work', value: 'Jo.Tester@Example.test' }],
  meta: { resourceType: 'User' },
  name: { formatted: 'Jo Tester', familyName: 'Tester', givenName: 'Jo' },
  roles: [],
};

describe('parseUserResource', () => {
  it('parses the Okta create body', () => {
    const input = parseUserResource(OKTA_CREATE);

    expect(input.userName).toBe('jo.tester@example.test');
    expect(input.externalId).toBe('00uabc123XYZ');
    expect(input.active).toBe(true);
    expect(input.activeProvided).toBe(true);
    expect(input.role).toBe('Member');
    expect(input.email).toBe('jo.tester@example.test');
  });

  it('drops password and groups from the Okta body', () => {
    const { resource } = parseUserResource(OKTA_CREATE);
    expect(resource).not.toHaveProperty('password');
    expect(resource).not.toHaveProperty('groups');
    expect(resource.name).toEqual({ givenName: 'Jo', familyName: 'Tester' });
    expect(resource.locale).toBe('en-US');
  });

  it('stores the default role in the custom extension', () => {
    const { resource } = parseUserResource(OKTA_CREATE);
    expect(resource[CUSTOM_USER_SCHEMA]).toEqual({ dropboxSign_role: 'Member' });
    expect(resource.schemas).toEqual([CORE_USER_SCHEMA, CUSTOM_USER_SCHEMA]);
  });

  it('parses the Entra create body with active "True"', () => {
    const input = parseUserResource(ENTRA_CREATE);

    expect(input.active).toBe(true);
    expect(input.resource.active).toBe(true);
    expect(input.resource).not.toHaveProperty('meta');
    expect(input.resource.roles).toEqual([]);
    expect(input.email).toBe('jo.tester@example.test');
    expect(input.userName).toBe('Jo.Tester@Example.test');
  });

  it('ignores id, meta, groups and password of an Okta PUT', () => {
    const body = {
      ...OKTA_CREATE,
      id: '6c5bb468-14b2-4183-baf2-06d523e03bd3',
      meta: { resourceType: 'User', created: '2024-01-01T00:00:00Z' },
      groups: [{ value: 'g1', display: 'Eng' }],
      active: false,
    };
    const input = parseUserResource(body);

    expect(Object.keys(input.resource)).not.toEqual(expect.arrayContaining(['id']));
    expect(input.resource).not.toHaveProperty('meta');
    expect(input.resource).not.toHaveProperty('groups');
    expect(input.active).toBe(false);
  });

  it('keeps custom extension attributes next to the role', () => {
    const body = {
      schemas: [CORE_USER_SCHEMA, CUSTOM_USER_SCHEMA],
      userName: 'jo@example.test',
      [CUSTOM_USER_SCHEMA]: { costCenter: 'CC-17', dropboxSign_role: 'developer' },
    };
    const input = parseUserResource(body);

    expect(input.role).toBe('Developer');
    expect(input.resource[CUSTOM_USER_SCHEMA]).toEqual({ costCenter: 'CC-17', dropboxSign_role: 'Developer' });
    expect(input.resource.schemas).toEqual([CORE_USER_SCHEMA, CUSTOM_USER_SCHEMA]);
  });

  it('keeps unknown attributes and unknown extension objects', () => {
    const acme = 'urn:ietf:params:scim:schemas:extension:acme:2.0:User';
    const body = { userName: 'jo@example.test', favouriteColour: 'teal', [acme]: { badge: 7 } };
    const { resource } = parseUserResource(body);

    expect(resource.favouriteColour).toBe('teal');
    expect(resource[acme]).toEqual({ badge: 7 });
  });

  it('moves a top-level role into the extension', () => {
    const { resource, role } = parseUserResource({ userName: 'jo@example.test', dropboxSign_role: 'team manager' });
    expect(role).toBe('Team Manager');
    expect(resource).not.toHaveProperty('dropboxSign_role');
    expect(resource[CUSTOM_USER_SCHEMA]).toEqual({ dropboxSign_role: 'Team Manager' });
  });

  it('moves a flat URN role key into the extension', () => {
    const flatKey = `${CUSTOM_USER_SCHEMA}:dropboxSign_role`;
    const { resource, role } = parseUserResource({ userName: 'jo@example.test', [flatKey]: 'Admin' });
    expect(role).toBe('Admin');
    expect(resource).not.toHaveProperty([flatKey]);
    expect(resource[CUSTOM_USER_SCHEMA]).toEqual({ dropboxSign_role: 'Admin' });
  });

  it('does not change the body it was given', () => {
    const body = structuredClone(OKTA_CREATE);
    parseUserResource(body);
    expect(body).toEqual(OKTA_CREATE);
  });

  it('adds the core schema when schemas is missing', () => {
    expect(parseUserResource({ userName: 'jo' }).resource.schemas).toEqual([CORE_USER_SCHEMA, CUSTOM_USER_SCHEMA]);
  });

  it('reports a missing active without storing one', () => {
    const input = parseUserResource({ userName: 'jo@example.test' });
    expect(input.active).toBe(true);
    expect(input.activeProvided).toBe(false);
    expect(input.resource).not.toHaveProperty('active');
  });

  it('renames core attributes to their canonical case', () => {
    const { resource, userName } = parseUserResource({ UserName: 'jo', DISPLAYNAME: 'Jo' });
    expect(userName).toBe('jo');
    expect(resource.displayName).toBe('Jo');
    expect(resource).not.toHaveProperty('DISPLAYNAME');
  });

  it('drops top-level null values', () => {
    const { resource } = parseUserResource({ userName: 'jo', nickName: null, emails: null });
    expect(resource).not.toHaveProperty('nickName');
    expect(resource).not.toHaveProperty('emails');
  });

  it('turns a numeric externalId into a string', () => {
    const input = parseUserResource({ userName: 'jo', externalId: 1001 });
    expect(input.externalId).toBe('1001');
    expect(input.resource.externalId).toBe('1001');
  });

  it('treats an empty externalId as absent', () => {
    const input = parseUserResource({ userName: 'jo', externalId: '' });
    expect(input.externalId).toBeNull();
    expect(input.resource).not.toHaveProperty('externalId');
  });
});

describe('parseUserResource email', () => {
  const parseEmail = (emails: unknown, userName = 'jo') => parseUserResource({ userName, emails }).email;

  it('picks the primary email', () => {
    const emails = [
      { type: 'work', value: 'work@example.test' },
      { type: 'home', value: 'Home@Example.test', primary: true },
    ];
    expect(parseEmail(emails)).toBe('home@example.test');
  });

  it('accepts primary as the string "True"', () => {
    expect(parseEmail([{ value: 'a@example.test' }, { value: 'b@example.test', primary: 'True' }])).toBe('b@example.test');
  });

  it('picks the first work email without a primary', () => {
    expect(parseEmail([{ type: 'home', value: 'h@example.test' }, { type: 'Work', value: 'w@example.test' }])).toBe(
      'w@example.test',
    );
  });

  it('picks the first email without primary or work', () => {
    expect(parseEmail([{ type: 'home', value: 'h@example.test' }, { value: 'o@example.test' }])).toBe('h@example.test');
  });

  it('falls back to an email-shaped userName', () => {
    expect(parseUserResource({ userName: 'Jo.Tester@Example.test' }).email).toBe('jo.tester@example.test');
  });

  it('is null without emails and with a plain userName', () => {
    expect(parseUserResource({ userName: 'jtester' }).email).toBeNull();
  });

  it('skips elements without a string value', () => {
    expect(parseEmail([{ primary: true }, { value: 'x@example.test' }])).toBe('x@example.test');
  });
});

describe('parseUserResource validation', () => {
  it.each([
    ['an array', []],
    ['a string', 'jo'],
    ['null', null],
  ])('rejects %s as body with invalidSyntax', (_case, body) => {
    const error = catchScimError(() => parseUserResource(body));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe('invalidSyntax');
  });

  it.each([
    ['missing', {}, 'userName is missing: send a non-empty string'],
    ['empty', { userName: '  ' }, 'userName "  " is invalid: send a non-empty string'],
    ['a number', { userName: 42 }, 'userName 42 is invalid: send a non-empty string'],
  ])('rejects a userName that is %s', (_case, body, detail) => {
    const error = catchScimError(() => parseUserResource(body));
    expect(error.scimType).toBe('invalidValue');
    expect(error.detail).toBe(detail);
  });

  it('rejects schemas that is not an array of strings', () => {
    const error = catchScimError(() => parseUserResource({ userName: 'jo', schemas: CORE_USER_SCHEMA }));
    expect(error.scimType).toBe('invalidSyntax');
    expect(error.detail).toContain(`send an array of schema URIs such as ["${CORE_USER_SCHEMA}"]`);
  });

  it('rejects schemas without the core User schema', () => {
    const error = catchScimError(() => parseUserResource({ userName: 'jo', schemas: [ENTERPRISE_USER_SCHEMA] }));
    expect(error.scimType).toBe('invalidValue');
    expect(error.detail).toBe(
      `schemas ["${ENTERPRISE_USER_SCHEMA}"] does not contain the User schema: add "${CORE_USER_SCHEMA}"`,
    );
  });

  it('accepts extra schema URIs and the core URN in another case', () => {
    const schemas = [CORE_USER_SCHEMA.toUpperCase(), 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/User'];
    expect(parseUserResource({ userName: 'jo', schemas }).resource.schemas).toEqual([...schemas, CUSTOM_USER_SCHEMA]);
  });

  it('rejects an active that is not a boolean', () => {
    const error = catchScimError(() => parseUserResource({ userName: 'jo', active: 'yes' }));
    expect(error.scimType).toBe('invalidValue');
    expect(error.detail).toBe('active "yes" is invalid: use true or false');
  });

  it('rejects emails that is not an array', () => {
    const error = catchScimError(() => parseUserResource({ userName: 'jo', emails: 'jo@example.test' }));
    expect(error.scimType).toBe('invalidValue');
    expect(error.detail).toBe('emails "jo@example.test" is invalid: send emails as a JSON array of objects');
  });

  it('rejects an invalid role', () => {
    const error = catchScimError(() => parseUserResource({ userName: 'jo', dropboxSign_role: 'Owner' }));
    expect(error.detail).toBe('dropboxSign_role "Owner" is invalid: use one of Member, Developer, Team Manager, Admin');
  });

  it('rejects a custom extension that is not an object', () => {
    const error = catchScimError(() => parseUserResource({ userName: 'jo', [CUSTOM_USER_SCHEMA]: 'Admin' }));
    expect(error.scimType).toBe('invalidValue');
  });

  it('rejects an externalId object', () => {
    const error = catchScimError(() => parseUserResource({ userName: 'jo', externalId: { id: 1 } }));
    expect(error.detail).toBe('externalId {"id":1} is invalid: send a string');
  });
});

describe('coerceActive', () => {
  it.each([
    [true, true],
    [false, false],
    ['True', true],
    ['FALSE', false],
    [' true ', true],
  ])('coerces %j to %j', (value, expected) => {
    expect(coerceActive(value)).toBe(expected);
  });

  it.each([1, 0, 'yes', null, {}])('rejects %j', (value) => {
    expect(catchScimError(() => coerceActive(value)).scimType).toBe('invalidValue');
  });
});
