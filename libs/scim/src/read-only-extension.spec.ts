import { PROVISIONING_SCHEMA } from './extension-schema-definitions';
import { applyUserPatch } from './patch';
import { isReadOnlyExtensionPath } from './read-only-extension';
import { CORE_USER_SCHEMA, PATCH_OP_SCHEMA } from './schemas';
import { catchScimError } from './scim-error.testing';
import { parseUserResource } from './user-resource';

const ECHOED_STATE = { state: 'member', dropboxSignAccountId: 'acc-1', lastError: null };

function userBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemas: [CORE_USER_SCHEMA, PROVISIONING_SCHEMA], userName: 'jo@example.test', active: true, ...extra };
}

function patch(...operations: unknown[]): Record<string, unknown> {
  return { schemas: [PATCH_OP_SCHEMA], Operations: operations };
}

describe('isReadOnlyExtensionPath', () => {
  it('matches the extension and its attributes ignoring case', () => {
    expect(isReadOnlyExtensionPath(PROVISIONING_SCHEMA)).toBe(true);
    expect(isReadOnlyExtensionPath(`${PROVISIONING_SCHEMA.toUpperCase()}:state`)).toBe(true);
  });

  it('does not match other extensions', () => {
    expect(isReadOnlyExtensionPath('urn:scimify:params:scim:schemas:extension:provisioning:2.0:UserX')).toBe(false);
    expect(isReadOnlyExtensionPath('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department')).toBe(false);
  });
});

describe('provisioning extension in a User body', () => {
  it('is dropped from a PUT or POST body with its schemas entry', () => {
    const { resource } = parseUserResource(userBody({ [PROVISIONING_SCHEMA]: ECHOED_STATE }));

    expect(resource[PROVISIONING_SCHEMA]).toBeUndefined();
    expect(resource.schemas).not.toContain(PROVISIONING_SCHEMA);
    expect(resource.schemas).toContain(CORE_USER_SCHEMA);
  });

  it('is dropped under a key in another letter case', () => {
    const { resource } = parseUserResource(userBody({ [PROVISIONING_SCHEMA.toLowerCase()]: ECHOED_STATE }));

    expect(Object.keys(resource).some((key) => key.toLowerCase() === PROVISIONING_SCHEMA.toLowerCase())).toBe(false);
  });
});

describe('provisioning extension in a PATCH', () => {
  const stored = parseUserResource(userBody()).resource;

  it('is skipped inside a path-less value', () => {
    const result = applyUserPatch(stored, patch({ op: 'replace', value: { displayName: 'Jo', [PROVISIONING_SCHEMA]: ECHOED_STATE } }));

    expect(result.displayName).toBe('Jo');
    expect(result[PROVISIONING_SCHEMA]).toBeUndefined();
  });

  it('is rejected as an explicit attribute path', () => {
    const error = catchScimError(() => applyUserPatch(stored, patch({ op: 'replace', path: `${PROVISIONING_SCHEMA}:state`, value: 'member' })));

    expect(error.status).toBe(400);
    expect(error.scimType).toBe('mutability');
    expect(error.detail).toContain(`${PROVISIONING_SCHEMA}:state`);
  });

  it('is rejected as an explicit extension path', () => {
    const error = catchScimError(() => applyUserPatch(stored, patch({ op: 'remove', path: PROVISIONING_SCHEMA })));

    expect(error.scimType).toBe('mutability');
  });
});
