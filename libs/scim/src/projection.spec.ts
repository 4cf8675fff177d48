import { projectAttributes } from './projection';
import { CORE_USER_SCHEMA, CUSTOM_USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from './schemas';

const USER = {
  id: '6c5bb468-14b2-4183-baf2-06d523e03bd3',
  schemas: [CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA, CUSTOM_USER_SCHEMA],
  meta: { resourceType: 'User', version: 'W/"3"' },
  userName: 'jo@example.test',
  name: { givenName: 'Jo', familyName: 'Tester' },
  emails: [
    { type: 'work', value: 'jo@example.test', primary: true },
    { type: 'home', value: 'jo@home.example' },
  ],
  active: true,
  [ENTERPRISE_USER_SCHEMA]: { department: 'Retail', employeeNumber: 'E-1' },
  [CUSTOM_USER_SCHEMA]: { dropboxSign_role: 'Admin' },
};

const ALWAYS = { id: USER.id, schemas: USER.schemas, meta: USER.meta };

describe('projectAttributes', () => {
  it('returns a copy of everything without parameters', () => {
    const result = projectAttributes(USER);
    expect(result).toEqual(USER);
    expect(result).not.toBe(USER);
  });

  it('selects attributes and always keeps id, schemas and meta', () => {
    expect(projectAttributes(USER, 'userName,active')).toEqual({ ...ALWAYS, userName: USER.userName, active: true });
  });

  it('matches names ignoring case and spaces', () => {
    expect(projectAttributes(USER, ' USERNAME , Active')).toEqual({ ...ALWAYS, userName: USER.userName, active: true });
  });

  it('selects a sub-attribute of a complex attribute', () => {
    expect(projectAttributes(USER, 'name.givenName')).toEqual({ ...ALWAYS, name: { givenName: 'Jo' } });
  });

  it('selects a sub-attribute of every element', () => {
    expect(projectAttributes(USER, 'emails.value,emails.type')).toEqual({
      ...ALWAYS,
      emails: [
        { type: 'work', value: 'jo@example.test' },
        { type: 'home', value: 'jo@home.example' },
      ],
    });
  });

  it('selects the whole attribute when also named with a sub-attribute', () => {
    expect(projectAttributes(USER, 'name.givenName,name')).toEqual({ ...ALWAYS, name: USER.name });
  });

  it('selects a URN-qualified core attribute', () => {
    expect(projectAttributes(USER, `${CORE_USER_SCHEMA}:userName`)).toEqual({ ...ALWAYS, userName: USER.userName });
  });

  it('selects one extension attribute', () => {
    expect(projectAttributes(USER, `${ENTERPRISE_USER_SCHEMA}:department`)).toEqual({
      ...ALWAYS,
      [ENTERPRISE_USER_SCHEMA]: { department: 'Retail' },
    });
  });

  it('selects a whole extension by its URN', () => {
    expect(projectAttributes(USER, CUSTOM_USER_SCHEMA.toLowerCase())).toEqual({
      ...ALWAYS,
      [CUSTOM_USER_SCHEMA]: { dropboxSign_role: 'Admin' },
    });
  });

  it('excludes members the way Entra asks for groups', () => {
    const group = { id: 'g', schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Sales', members: [{ value: 'u' }] };
    expect(projectAttributes(group, undefined, 'members')).toEqual({ id: 'g', schemas: group.schemas, displayName: 'Sales' });
  });

  it('excludes sub-attributes and extension attributes', () => {
    const result = projectAttributes(USER, undefined, `emails.primary,name.familyName,${ENTERPRISE_USER_SCHEMA}:employeeNumber`);
    expect(result.name).toEqual({ givenName: 'Jo' });
    expect(result.emails).toEqual([
      { type: 'work', value: 'jo@example.test' },
      { type: 'home', value: 'jo@home.example' },
    ]);
    expect(result[ENTERPRISE_USER_SCHEMA]).toEqual({ department: 'Retail' });
  });

  it('excludes a whole extension by its URN', () => {
    expect(projectAttributes(USER, undefined, ENTERPRISE_USER_SCHEMA)).not.toHaveProperty([ENTERPRISE_USER_SCHEMA]);
  });

  it('never excludes id, schemas or meta', () => {
    expect(projectAttributes(USER, undefined, 'id,schemas,meta,meta.version')).toEqual(USER);
  });

  it('applies excludedAttributes after attributes', () => {
    expect(projectAttributes(USER, 'userName,active', 'active')).toEqual({ ...ALWAYS, userName: USER.userName });
  });

  it('ignores unknown and empty names', () => {
    expect(projectAttributes(USER, 'nickName,,')).toEqual(ALWAYS);
    expect(projectAttributes(USER, '', '')).toEqual(USER);
  });

  it('does not change the resource', () => {
    const copy = structuredClone(USER);
    projectAttributes(USER, 'emails.value', 'name');
    expect(USER).toEqual(copy);
  });
});
