import { applyUserPatch } from './patch';
import { CORE_USER_SCHEMA, CUSTOM_USER_SCHEMA, ENTERPRISE_USER_SCHEMA, PATCH_OP_SCHEMA } from './schemas';
import { catchScimError } from './scim-error.testing';
import { StoredUser, parseUserResource } from './user-resource';

function storedUser(extra: Record<string, unknown> = {}): StoredUser {
  return parseUserResource({
    schemas: [CORE_USER_SCHEMA],
    userName: 'jo.tester@example.test',
    name: { givenName: 'Jo', familyName: 'Tester' },
    emails: [
      { type: 'home', value: 'jo@home.example' },
      { type: 'work', value: 'jo.tester@example.test', primary: true },
    ],
    active: true,
    ...extra,
  }).resource;
}

function patch(...operations: unknown[]): Record<string, unknown> {
  return { schemas: [PATCH_OP_SCHEMA], Operations: operations };
}

describe('applyUserPatch Okta', () => {
  it('deactivates with a path-less replace', () => {
    const result = applyUserPatch(storedUser(), patch({ op: 'replace', value: { active: false } }));
    expect(result.active).toBe(false);
  });

  it('ignores a path-less password change', () => {
    const result = applyUserPatch(storedUser(), patch({ op: 'replace', value: { password: 'New-Secret-1' } }));
    expect(result).not.toHaveProperty('password');
    expect(result).toEqual(storedUser());
  });

  it('ignores id and meta in a path-less value', () => {
    const body = patch({ op: 'replace', value: { id: 'f00', meta: { version: 'W/"1"' }, displayName: 'Jo T.' } });
    const result = applyUserPatch(storedUser(), body);
    expect(result).not.toHaveProperty('id');
    expect(result).not.toHaveProperty('meta');
    expect(result.displayName).toBe('Jo T.');
  });

  it('does not change the stored resource', () => {
    const resource = storedUser();
    const before = structuredClone(resource);
    applyUserPatch(resource, patch({ op: 'replace', value: { active: false, 'name.givenName': 'X' } }));
    expect(resource).toEqual(before);
  });
});

describe('applyUserPatch Entra default', () => {
  const ENTRA_UPDATE = patch(
    { op: 'Replace', path: 'displayName', value: 'Jo T.' },
    { op: 'Replace', path: 'emails[type eq "work"].value', value: 'jo.t@example.test' },
    { op: 'Replace', path: 'name.familyName', value: 'Tester-Lee' },
    { op: 'Add', path: `${ENTERPRISE_USER_SCHEMA}:department`, value: 'Retail' },
    { op: 'Replace', path: 'addresses[type eq "work"].formatted', value: 'Bldg 4' },
    { op: 'Replace', path: 'userName', value: 'jo.t@example.test' },
  );

  it('applies the capitalised update operations', () => {
    const result = applyUserPatch(storedUser(), ENTRA_UPDATE);

    expect(result.displayName).toBe('Jo T.');
    expect(result.name).toEqual({ givenName: 'Jo', familyName: 'Tester-Lee' });
    expect(result[ENTERPRISE_USER_SCHEMA]).toEqual({ department: 'Retail' });
    expect(result.userName).toBe('jo.t@example.test');
    expect(result.addresses).toEqual([{ type: 'work', formatted: 'Bldg 4' }]);
  });

  it('replaces the work email and keeps the home email', () => {
    const result = applyUserPatch(storedUser(), ENTRA_UPDATE);
    expect(result.emails).toEqual([
      { type: 'home', value: 'jo@home.example' },
      { type: 'work', value: 'jo.t@example.test', primary: true },
    ]);
  });

  it('creates the work email when none exists', () => {
    const resource = storedUser({ emails: [{ type: 'home', value: 'jo@home.example' }] });
    const body = patch({ op: 'Replace', path: 'emails[type eq "work"].value', value: 'w@example.test' });
    expect(applyUserPatch(resource, body).emails).toEqual([
      { type: 'home', value: 'jo@home.example' },
      { type: 'work', value: 'w@example.test' },
    ]);
  });

  it('lands several filtered operations in one element', () => {
    const body = patch(
      { op: 'Add', path: 'addresses[type eq "work"].formatted', value: 'Bldg 4' },
      { op: 'Add', path: 'addresses[type eq "work"].locality', value: 'Springfield' },
      { op: 'Replace', path: 'addresses[type eq "work"].region', value: 'WA' },
    );
    expect(applyUserPatch(storedUser(), body).addresses).toEqual([
      { type: 'work', formatted: 'Bldg 4', locality: 'Springfield', region: 'WA' },
    ]);
  });

  it('matches the filter value ignoring case', () => {
    const resource = storedUser({ emails: [{ type: 'Work', value: 'old@example.test' }] });
    const body = patch({ op: 'Replace', path: 'emails[type eq "work"].value', value: 'new@example.test' });
    expect(applyUserPatch(resource, body).emails).toEqual([{ type: 'Work', value: 'new@example.test' }]);
  });

  it.each([
    ['"False"', 'False', false],
    ['"True"', 'True', true],
    ['false', false, false],
  ])('sets active from %s', (_case, value, expected) => {
    const result = applyUserPatch(storedUser({ active: !expected }), patch({ op: 'Replace', path: 'active', value }));
    expect(result.active).toBe(expected);
  });

  it('re-applies active true idempotently', () => {
    const resource = storedUser();
    expect(applyUserPatch(resource, patch({ op: 'Replace', path: 'active', value: 'True' }))).toEqual(resource);
  });

  it('keeps app roles serialised as JSON strings', () => {
    const role = '{"id":"4c6e6b9c-0000-4000-8000-000000000001","value":"Admin","displayName":"Admin"}';
    const result = applyUserPatch(storedUser(), patch({ op: 'Add', path: 'roles', value: [{ value: role, primary: false }] }));
    expect(result.roles).toEqual([{ value: role, primary: false }]);
  });

  it('removes only the listed values of a multi-valued attribute', () => {
    const resource = storedUser({ roles: [{ value: 'a', display: 'A' }, { value: 'b' }, { value: 'c' }] });
    const body = patch({ op: 'Remove', path: 'roles', value: [{ value: 'a' }, { value: 'c', $ref: null }] });
    expect(applyUserPatch(resource, body).roles).toEqual([{ value: 'b' }]);
  });

  it('removes the manager by a filter on the single-valued complex attribute', () => {
    const resource = storedUser({ [ENTERPRISE_USER_SCHEMA]: { department: 'Retail', manager: { value: 'm-1' } } });
    const body = patch({ op: 'Remove', path: `${ENTERPRISE_USER_SCHEMA}:manager[value eq "m-1"]` });
    expect(applyUserPatch(resource, body)[ENTERPRISE_USER_SCHEMA]).toEqual({ department: 'Retail' });
  });

  it('keeps the manager when the filter does not match', () => {
    const extension = { manager: { value: 'm-1' } };
    const resource = storedUser({ [ENTERPRISE_USER_SCHEMA]: extension });
    const body = patch({ op: 'Remove', path: `${ENTERPRISE_USER_SCHEMA}:manager[value eq "m-2"]` });
    expect(applyUserPatch(resource, body)[ENTERPRISE_USER_SCHEMA]).toEqual(extension);
  });
});

describe('applyUserPatch Entra aadOptscim062020', () => {
  it('applies dotted and URN keys of a path-less replace as paths', () => {
    const body = patch({
      op: 'replace',
      value: {
        displayName: 'Jo T.',
        'name.givenName': 'Joanna',
        'name.familyName': 'Tester',
        [`${ENTERPRISE_USER_SCHEMA}:employeeNumber`]: 'E-1001',
      },
    });
    const result = applyUserPatch(storedUser(), body);

    expect(result.name).toEqual({ givenName: 'Joanna', familyName: 'Tester' });
    expect(result[ENTERPRISE_USER_SCHEMA]).toEqual({ employeeNumber: 'E-1001' });
    expect(result).not.toHaveProperty(['name.givenName']);
    expect(result).not.toHaveProperty([`${ENTERPRISE_USER_SCHEMA}:employeeNumber`]);
  });

  it('adds a single value with a lower-case op', () => {
    expect(applyUserPatch(storedUser(), patch({ op: 'add', path: 'nickName', value: 'Babs' })).nickName).toBe('Babs');
  });

  it('merges a nested object of a path-less add', () => {
    const result = applyUserPatch(storedUser(), patch({ op: 'add', value: { name: { middleName: 'Q' } } }));
    expect(result.name).toEqual({ givenName: 'Jo', familyName: 'Tester', middleName: 'Q' });
  });

  it('merges an extension object of a path-less replace', () => {
    const resource = storedUser({ [ENTERPRISE_USER_SCHEMA]: { department: 'Retail', costCenter: 'CC-1' } });
    const body = patch({ op: 'replace', value: { [ENTERPRISE_USER_SCHEMA]: { department: 'Sales' } } });
    expect(applyUserPatch(resource, body)[ENTERPRISE_USER_SCHEMA]).toEqual({ department: 'Sales', costCenter: 'CC-1' });
  });

  it('removes an element by value filter', () => {
    const result = applyUserPatch(storedUser(), patch({ op: 'remove', path: 'emails[type eq "home"]' }));
    expect(result.emails).toEqual([{ type: 'work', value: 'jo.tester@example.test', primary: true }]);
  });
});

describe('applyUserPatch role', () => {
  const flatPath = `${CUSTOM_USER_SCHEMA}:dropboxSign_role`;

  it.each([
    ['top-level path', { op: 'replace', path: 'dropboxSign_role', value: 'admin' }],
    ['URN path', { op: 'replace', path: flatPath, value: 'Admin' }],
    ['extension path', { op: 'replace', path: CUSTOM_USER_SCHEMA, value: { dropboxSign_role: 'ADMIN' } }],
    ['path-less top-level key', { op: 'replace', value: { dropboxSign_role: 'Admin' } }],
    ['path-less URN key', { op: 'replace', value: { [flatPath]: 'Admin' } }],
    ['path-less extension object', { op: 'add', value: { [CUSTOM_USER_SCHEMA]: { dropboxSign_role: 'admin' } } }],
  ])('sets the role with a %s', (_case, operation) => {
    const result = applyUserPatch(storedUser({ dropboxSign_role: 'Developer' }), patch(operation));
    expect(result[CUSTOM_USER_SCHEMA]).toEqual({ dropboxSign_role: 'Admin' });
    expect(result).not.toHaveProperty('dropboxSign_role');
    expect(result).not.toHaveProperty([flatPath]);
  });

  it('resets the role to Member on remove', () => {
    const result = applyUserPatch(storedUser({ dropboxSign_role: 'Admin' }), patch({ op: 'remove', path: 'dropboxSign_role' }));
    expect(result[CUSTOM_USER_SCHEMA]).toEqual({ dropboxSign_role: 'Member' });
  });

  it('rejects an invalid role', () => {
    const error = catchScimError(() => applyUserPatch(storedUser(), patch({ op: 'replace', path: 'dropboxSign_role', value: 'Owner' })));
    expect(error.detail).toBe('dropboxSign_role "Owner" is invalid: use one of Member, Developer, Team Manager, Admin');
  });

  it('keeps other custom attributes when the role changes', () => {
    const resource = storedUser({ [CUSTOM_USER_SCHEMA]: { costCenter: 'CC-17' } });
    const result = applyUserPatch(resource, patch({ op: 'replace', path: 'dropboxSign_role', value: 'Developer' }));
    expect(result[CUSTOM_USER_SCHEMA]).toEqual({ costCenter: 'CC-17', dropboxSign_role: 'Developer' });
  });
});

describe('applyUserPatch edge cases', () => {
  it('ignores a path on schemas, groups or password', () => {
    const resource = storedUser();
    const body = patch(
      { op: 'replace', path: 'schemas', value: ['x'] },
      { op: 'add', path: 'groups', value: [{ value: 'g' }] },
      { op: 'replace', path: 'password', value: 'p' },
    );
    expect(applyUserPatch(resource, body)).toEqual(resource);
  });

  it('treats a remove that matches nothing as a no-op', () => {
    const resource = storedUser();
    const body = patch(
      { op: 'remove', path: 'emails[type eq "other"]' },
      { op: 'remove', path: 'phoneNumbers[type eq "work"].value' },
      { op: 'remove', path: 'nickName' },
      { op: 'remove', path: `${ENTERPRISE_USER_SCHEMA}:manager` },
    );
    expect(applyUserPatch(resource, body)).toEqual(resource);
  });

  it('drops a multi-valued attribute whose last value is removed', () => {
    const resource = storedUser({ emails: [{ type: 'work', value: 'w@example.test' }] });
    expect(applyUserPatch(resource, patch({ op: 'remove', path: 'emails[type eq "work"]' }))).not.toHaveProperty('emails');
  });

  it('replaces a multi-valued attribute without a filter', () => {
    const body = patch({ op: 'replace', path: 'emails', value: [{ value: 'only@example.test' }] });
    expect(applyUserPatch(storedUser(), body).emails).toEqual([{ value: 'only@example.test' }]);
  });

  it('matches attribute names in paths ignoring case', () => {
    const result = applyUserPatch(storedUser(), patch({ op: 'replace', path: 'NAME.GIVENNAME', value: 'Joanna' }));
    expect(result.name).toEqual({ givenName: 'Joanna', familyName: 'Tester' });
  });

  it('accepts a body without schemas', () => {
    const result = applyUserPatch(storedUser(), { Operations: [{ op: 'replace', path: 'title', value: 'CTO' }] });
    expect(result.title).toBe('CTO');
  });

  it('keeps a colon inside a filter value', () => {
    const resource = storedUser({ phoneNumbers: [{ type: 'work', value: 'tel:+1-555-0100' }] });
    const body = patch({ op: 'replace', path: 'phoneNumbers[value eq "tel:+1-555-0100"].type', value: 'mobile' });
    expect(applyUserPatch(resource, body).phoneNumbers).toEqual([{ type: 'mobile', value: 'tel:+1-555-0100' }]);
  });

  it('clears userName on remove and then fails validation', () => {
    const error = catchScimError(() => applyUserPatch(storedUser(), patch({ op: 'remove', path: 'userName' })));
    expect(error.detail).toBe('userName is missing: send a non-empty string');
  });
});

describe('applyUserPatch errors', () => {
  it.each([
    ['a non-object body', [], 'invalidSyntax'],
    ['schemas without PatchOp', { schemas: [CORE_USER_SCHEMA], Operations: [{ op: 'add', path: 'title', value: 'x' }] }, 'invalidSyntax'],
    ['missing Operations', { schemas: [PATCH_OP_SCHEMA] }, 'invalidSyntax'],
    ['empty Operations', patch(), 'invalidSyntax'],
    ['an unknown op', patch({ op: 'merge', path: 'title', value: 'x' }), 'invalidSyntax'],
    ['replace without value', patch({ op: 'replace', path: 'title' }), 'invalidSyntax'],
    ['remove without path', patch({ op: 'remove' }), 'noTarget'],
    ['a path on id', patch({ op: 'replace', path: 'id', value: 'x' }), 'mutability'],
    ['a path on meta.lastModified', patch({ op: 'replace', path: 'meta.lastModified', value: 'x' }), 'mutability'],
    ['a malformed path', patch({ op: 'replace', path: 'name..givenName', value: 'x' }), 'invalidPath'],
    ['an unclosed filter', patch({ op: 'replace', path: 'emails[type eq "work".value', value: 'x' }), 'invalidPath'],
    ['a bad filter', patch({ op: 'replace', path: 'emails[type xx "work"].value', value: 'x' }), 'invalidPath'],
    ['a non-string path', patch({ op: 'replace', path: 7, value: 'x' }), 'invalidPath'],
    ['a path-less string value', patch({ op: 'replace', value: 'x' }), 'invalidValue'],
  ])('rejects %s', (_case, body, scimType) => {
    const error = catchScimError(() => applyUserPatch(storedUser(), body));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe(scimType);
  });

  it('names the operation and the fix for a read-only path', () => {
    const error = catchScimError(() => applyUserPatch(storedUser(), patch({ op: 'replace', path: 'id', value: 'x' })));
    expect(error.detail).toBe(
      'PATCH operation 1 (replace "id") failed: "id" targets the read-only attribute id; remove this operation',
    );
  });

  it('names the invalid op', () => {
    const error = catchScimError(() => applyUserPatch(storedUser(), patch({ op: 'merge', path: 'title', value: 'x' })));
    expect(error.detail).toBe('PATCH operation 1 op "merge" is invalid: use add, remove or replace');
  });

  it('rejects a filtered replace that cannot build a new value', () => {
    const body = patch({ op: 'replace', path: 'emails[value co "x"].type', value: 'work' });
    const error = catchScimError(() => applyUserPatch(storedUser({ emails: [] }), body));
    expect(error.scimType).toBe('noTarget');
  });

  it('rejects a string added to a complex attribute', () => {
    const error = catchScimError(() => applyUserPatch(storedUser(), patch({ op: 'add', path: 'name', value: 'Jo' })));
    expect(error.status).toBe(400);
  });
});
