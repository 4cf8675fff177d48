import { extractRole } from './role';
import { CUSTOM_USER_SCHEMA } from './schemas';
import { catchScimError } from './scim-error.testing';

const FLAT_KEY = `${CUSTOM_USER_SCHEMA}:dropboxSign_role`;

describe('extractRole', () => {
  it.each([
    ['top-level key', { dropboxSign_role: 'Admin' }],
    ['flat URN key', { [FLAT_KEY]: 'Admin' }],
    ['extension object', { [CUSTOM_USER_SCHEMA]: { dropboxSign_role: 'Admin' } }],
  ])('reads the role from the %s', (_location, resource) => {
    expect(extractRole(resource)).toBe('Admin');
  });

  it.each([
    ['member', 'Member'],
    ['DEVELOPER', 'Developer'],
    ['team manager', 'Team Manager'],
    ['Team_Manager', 'Team Manager'],
    ['teammanager', 'Team Manager'],
    [' admin ', 'Admin'],
  ])('maps %j to the canonical %s', (value, expected) => {
    expect(extractRole({ dropboxSign_role: value })).toBe(expected);
  });

  it.each([
    ['absent', {}],
    ['null', { dropboxSign_role: null }],
    ['empty string', { dropboxSign_role: '' }],
    ['empty extension', { [CUSTOM_USER_SCHEMA]: {} }],
  ])('defaults to Member when %s', (_case, resource) => {
    expect(extractRole(resource)).toBe('Member');
  });

  it('prefers the top-level key over the extension object', () => {
    const resource = { dropboxSign_role: 'Developer', [CUSTOM_USER_SCHEMA]: { dropboxSign_role: 'Admin' } };
    expect(extractRole(resource)).toBe('Developer');
  });

  it('matches attribute names ignoring case', () => {
    expect(extractRole({ DropboxSign_Role: 'admin' })).toBe('Admin');
    expect(extractRole({ [CUSTOM_USER_SCHEMA.toUpperCase()]: { DROPBOXSIGN_ROLE: 'admin' } })).toBe('Admin');
  });

  it('rejects an unknown role naming the value and the valid ones', () => {
    const error = catchScimError(() => extractRole({ dropboxSign_role: 'Owner' }));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe('invalidValue');
    expect(error.detail).toBe('dropboxSign_role "Owner" is invalid: use one of Member, Developer, Team Manager, Admin');
  });

  it('rejects a non-string role', () => {
    const error = catchScimError(() => extractRole({ [CUSTOM_USER_SCHEMA]: { dropboxSign_role: ['Admin'] } }));
    expect(error.scimType).toBe('invalidValue');
    expect(error.detail).toContain('["Admin"]');
  });
});
