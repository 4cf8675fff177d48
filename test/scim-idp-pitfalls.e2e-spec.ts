import { createIntegration, scim, ScimResponse, Stack, startStack } from './support/stack';

/**
 * Covers the mistakes that broke other SCIM servers with Okta or Entra ID, one test each. They are
 * a path-less PATCH, a capitalised op, `active` as the string "False" and an empty filter result.
 * Counters sent as strings and a deactivated user that vanished complete the list.
 */

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

describe('identity provider pitfalls', () => {
  let stack: Stack;
  let integration: { id: string; token: string; scimBaseUrl: string };

  const call = (method: string, path: string, body?: unknown): Promise<ScimResponse> =>
    scim(integration.scimBaseUrl, integration.token, method, path, body);

  async function createUser(userName: string): Promise<{ id: string }> {
    const response = await call('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName,
      name: { givenName: 'Kim', familyName: 'Pitfall' },
      emails: [{ primary: true, type: 'work', value: userName }],
      active: true,
    });
    expect(response.status).toBe(201);
    return response.body;
  }

  beforeAll(async () => {
    stack = await startStack();
    const team = await stack.fake.createTeam({ name: 'Pitfalls', rateLimitPerMinute: 1000 });
    integration = await createIntegration(stack, { displayName: 'Pitfalls', apiKey: team.apiKey });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('answers an empty filter result with 200 and Resources []', async () => {
    const response = await call('GET', `/Users?filter=${encodeURIComponent('userName eq "nobody@example.test"')}`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ schemas: [LIST], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
  });

  it('sends the counters as JSON numbers', async () => {
    await createUser('kim.counters@example.test');

    const response = await call('GET', '/Users?startIndex=1&count=10');
    const text = JSON.stringify(response.body);

    expect(response.body.totalResults).toBe(1);
    expect(response.body.startIndex).toBe(1);
    expect(response.body.itemsPerPage).toBe(1);
    expect(text).not.toMatch(/"(totalResults|startIndex|itemsPerPage)":"/);
  });

  it('applies a path-less PATCH', async () => {
    const user = await createUser('kim.pathless@example.test');

    const response = await call('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { id: user.id, meta: { resourceType: 'User' }, displayName: 'Kim P.', 'name.familyName': 'Pathless' } }],
    });

    expect(response.status).toBe(200);
    expect(response.body.id).toBe(user.id);
    expect(response.body.displayName).toBe('Kim P.');
    expect(response.body.name).toEqual({ givenName: 'Kim', familyName: 'Pathless' });
  });

  it('rejects a PATCH that targets id by path with mutability', async () => {
    const user = await createUser('kim.readonly@example.test');

    const response = await call('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'id', value: 'another-id' }] });

    expect(response.status).toBe(400);
    expect(response.body.scimType).toBe('mutability');
    expect((await call('GET', `/Users/${user.id}`)).status).toBe(200);
  });

  it('accepts "op":"Replace" in any letter case', async () => {
    const user = await createUser('kim.opcase@example.test');

    for (const op of ['Replace', 'REPLACE', 'rEpLaCe']) {
      const response = await call('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op, path: 'title', value: op }] });
      expect(`${op} ${response.status} ${response.body.title}`).toBe(`${op} 200 ${op}`);
    }
  });

  it('deactivates on active "False" and keeps the user readable', async () => {
    const user = await createUser('kim.inactive@example.test');

    const patched = await call('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    const read = await call('GET', `/Users/${user.id}`);
    const found = await call('GET', `/Users?filter=${encodeURIComponent('userName eq "kim.inactive@example.test"')}`);
    const listed = await call('GET', `/Users?filter=${encodeURIComponent('active eq false')}`);

    expect(patched.status).toBe(200);
    expect(patched.body.active).toBe(false);
    expect(read.status).toBe(200);
    expect(read.body.active).toBe(false);
    expect(found.body.Resources.map((resource: { id: string }) => resource.id)).toEqual([user.id]);
    expect(listed.body.Resources.map((resource: { id: string }) => resource.id)).toEqual([user.id]);
  });

  it('rejects an active value that is not a boolean', async () => {
    const user = await createUser('kim.maybe@example.test');

    const response = await call('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: 'maybe' }] });

    expect(response.status).toBe(400);
    expect(response.body.scimType).toBe('invalidValue');
    expect(response.body.detail).toContain('maybe');
  });
});
