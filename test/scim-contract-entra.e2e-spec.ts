import { FakeTeam } from '@scimify/testing';
import { createIntegration, scim, ScimResponse, Stack, startStack } from './support/stack';

/**
 * Replays the requests that the Microsoft Entra ID provisioning service sends, and checks the
 * status, the body shape and the stored effect with a GET after each change. The default dialect
 * has capitalised ops, one path per attribute and "True"/"False" strings. With the
 * `aadOptscim062020` flag, ops are lower-case and a path-less replace carries dotted and URN keys.
 */

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:custom:2.0:User';
const PROVISIONING = 'urn:scimify:params:scim:schemas:extension:provisioning:2.0:User';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ENTRA_GROUP = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';

const EMPTY_LIST = { schemas: [LIST], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] };

/** Builds the body Entra sends on create, with the enterprise schema listed, a client `meta` and empty `roles`. */
function entraCreateBody(userName: string, externalId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemas: [CORE, ENTERPRISE],
    externalId,
    userName,
    active: true,
    emails: [{ primary: true, type: 'work', value: userName }],
    meta: { resourceType: 'User' },
    name: { formatted: 'Alex Entra', familyName: 'Entra', givenName: 'Alex' },
    roles: [],
    ...extra,
  };
}

function patchOp(...operations: Array<Record<string, unknown>>): Record<string, unknown> {
  return { schemas: [PATCH_OP], Operations: operations };
}

describe('Entra ID request contract', () => {
  let stack: Stack;
  let team: FakeTeam;
  let integration: { id: string; token: string; scimBaseUrl: string };
  let alex: Record<string, any>;

  /** Entra sends the requests to the Tenant URL, which may carry the aadOptscim062020 flag. */
  const entra = (method: string, path: string, body?: unknown): Promise<ScimResponse> =>
    scim(integration.scimBaseUrl, integration.token, method, path, body);

  const query = (filter: string, extra = ''): Promise<ScimResponse> => entra('GET', `/Users?filter=${encodeURIComponent(filter)}${extra}`);

  async function read(id: string): Promise<Record<string, any>> {
    const response = await entra('GET', `/Users/${id}`);
    expect(response.status).toBe(200);
    return response.body;
  }

  async function invitedEmails(): Promise<string[]> {
    return (await stack.fake.team(team.teamId)).invites.map((invite) => invite.email);
  }

  beforeAll(async () => {
    stack = await startStack();
    team = await stack.fake.createTeam({ name: 'Entra Contract', rateLimitPerMinute: 1000 });
    integration = await createIntegration(stack, { displayName: 'Entra contract', apiKey: team.apiKey });
  });

  afterAll(async () => {
    await stack?.close();
  });

  describe('Test Connection', () => {
    it('answers the random user query with an empty list', async () => {
      const response = await query('userName eq "7f3c1a52-90d1-4c55-b1b4-7d9e1f0a3b21"');

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/scim\+json/);
      expect(response.body).toEqual(EMPTY_LIST);
    });

    it('answers the random group query with an empty list', async () => {
      const response = await entra('GET', `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "4b0f3e8c-52a7-4f0e-9d55-0e1c6a7b9f10"')}`);

      expect(response.status).toBe(200);
      expect(response.body).toEqual(EMPTY_LIST);
    });

    it('rejects a wrong secret token with 401', async () => {
      const response = await scim(integration.scimBaseUrl, 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.e30.sig', 'GET', '/Users?filter=userName+eq+%22x%22');

      expect(response.status).toBe(401);
      expect(response.body.schemas).toEqual([ERROR]);
    });
  });

  describe('matching and create', () => {
    it('finds no user by userName, externalId or work email', async () => {
      for (const filter of [
        'userName eq "alex.entra@example.test"',
        'externalId eq "0a21f0f2-0000-4000-8000-000000000001"',
        'externalId eq aentra',
        'emails[type eq "work"].value eq "alex.entra@example.test"',
      ]) {
        const response = await query(filter);
        expect(`${filter}: ${response.status} ${JSON.stringify(response.body.Resources)}`).toBe(`${filter}: 200 []`);
      }
    });

    it('creates the user and ignores the client meta', async () => {
      const response = await entra('POST', '/Users', entraCreateBody('alex.entra@example.test', '0a21f0f2-0000-4000-8000-000000000001'));

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        schemas: expect.arrayContaining([CORE, ENTERPRISE]),
        id: expect.any(String),
        userName: 'alex.entra@example.test',
        externalId: '0a21f0f2-0000-4000-8000-000000000001',
        active: true,
        meta: { resourceType: 'User', created: expect.any(String), lastModified: expect.any(String), version: expect.stringMatching(/^W\/"/) },
      });
      alex = response.body;
    });

    it('stores the body as sent and invites the user', async () => {
      const stored = await read(alex.id);

      expect(stored.name).toEqual({ formatted: 'Alex Entra', familyName: 'Entra', givenName: 'Alex' });
      expect(stored.emails).toEqual([{ primary: true, type: 'work', value: 'alex.entra@example.test' }]);
      expect(stored[CUSTOM].dropboxSign_role).toBe('Member');
      expect(stored[PROVISIONING].state).toBe('invited');
      expect(await invitedEmails()).toContain('alex.entra@example.test');
    });

    it('coerces active "True" on create to a boolean', async () => {
      const response = await entra('POST', '/Users', entraCreateBody('sam.string@example.test', 'sstring', { active: 'True' }));

      expect(response.status).toBe(201);
      expect(response.body.active).toBe(true);
      expect((await read(response.body.id)).active).toBe(true);
    });

    it('finds the user by each matching attribute', async () => {
      for (const filter of [
        'userName eq "Alex.Entra@example.test"',
        'externalId eq "0a21f0f2-0000-4000-8000-000000000001"',
        'emails[type eq "work"].value eq "alex.entra@example.test"',
        'userName eq "alex.entra@example.test" and externalId eq "0a21f0f2-0000-4000-8000-000000000001"',
      ]) {
        const response = await query(filter);
        expect(`${filter}: ${response.body.totalResults}`).toBe(`${filter}: 1`);
        expect(response.body.Resources[0].id).toBe(alex.id);
      }
    });

    it('finds a user by an unquoted externalId', async () => {
      const response = await query('externalId eq sstring');

      expect(response.body.totalResults).toBe(1);
      expect(response.body.Resources[0].userName).toBe('sam.string@example.test');
    });

    it('rejects a duplicate userName with 409', async () => {
      const response = await entra('POST', '/Users', entraCreateBody('ALEX.ENTRA@example.test', 'another-object-id'));

      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ schemas: [ERROR], scimType: 'uniqueness', status: '409' });
    });
  });

  describe('updates in the default dialect', () => {
    it('applies one capitalised operation per attribute', async () => {
      const response = await entra(
        'PATCH',
        `/Users/${alex.id}`,
        patchOp(
          { op: 'Replace', path: 'displayName', value: 'Alex E.' },
          { op: 'Replace', path: 'emails[type eq "work"].value', value: 'alex.e@example.test' },
          { op: 'Replace', path: 'name.familyName', value: 'Entra-Lee' },
          { op: 'Add', path: `${ENTERPRISE}:department`, value: 'Retail' },
          { op: 'Replace', path: 'addresses[type eq "work"].formatted', value: 'Bldg 4' },
          { op: 'Replace', path: 'addresses[type eq "work"].locality', value: 'Redmond' },
          { op: 'Replace', path: 'addresses[type eq "work"].region', value: 'WA' },
        ),
      );
      const stored = await read(alex.id);

      expect(response.status).toBe(200);
      expect(stored.displayName).toBe('Alex E.');
      expect(stored.emails).toEqual([{ primary: true, type: 'work', value: 'alex.e@example.test' }]);
      expect(stored.name).toEqual({ formatted: 'Alex Entra', familyName: 'Entra-Lee', givenName: 'Alex' });
      expect(stored[ENTERPRISE]).toEqual({ department: 'Retail' });
      expect(stored.addresses).toEqual([{ type: 'work', formatted: 'Bldg 4', locality: 'Redmond', region: 'WA' }]);
    });

    it('replaces the work email without dropping the home email', async () => {
      await entra('PATCH', `/Users/${alex.id}`, patchOp({ op: 'Add', path: 'emails[type eq "home"].value', value: 'alex@home.example' }));

      const response = await entra('PATCH', `/Users/${alex.id}`, patchOp({ op: 'Replace', path: 'emails[type eq "work"].value', value: 'alex.entra@example.test' }));
      const stored = await read(alex.id);

      expect(response.status).toBe(200);
      expect(stored.emails).toEqual([
        { primary: true, type: 'work', value: 'alex.entra@example.test' },
        { type: 'home', value: 'alex@home.example' },
      ]);
    });

    it('renames the userName', async () => {
      const response = await entra('PATCH', `/Users/${alex.id}`, patchOp({ op: 'Replace', path: 'userName', value: 'alex.t@example.test' }));

      expect(response.status).toBe(200);
      expect((await read(alex.id)).userName).toBe('alex.t@example.test');
      expect((await query('userName eq "alex.t@example.test"')).body.totalResults).toBe(1);
    });

    it('stores an app role sent as a JSON string', async () => {
      const role = JSON.stringify({ id: '6f1e2b3c-0000-4000-8000-00000000abcd', value: 'Admin', displayName: 'Admin' });

      const response = await entra('PATCH', `/Users/${alex.id}`, patchOp({ op: 'Add', path: 'roles', value: [{ primary: false, type: 'WindowsAzureActiveDirectoryRole', value: role }] }));

      expect(response.status).toBe(200);
      expect((await read(alex.id)).roles).toEqual([{ primary: false, type: 'WindowsAzureActiveDirectoryRole', value: role }]);
    });

    it('sets the Dropbox Sign role through the custom extension path', async () => {
      const response = await entra('PATCH', `/Users/${alex.id}`, patchOp({ op: 'Add', path: `${CUSTOM}:dropboxSign_role`, value: 'Team Manager' }));
      const stored = await read(alex.id);

      expect(response.status).toBe(200);
      expect(stored[CUSTOM].dropboxSign_role).toBe('Team Manager');
      expect((await stack.fake.team(team.teamId)).invites).toContainEqual(expect.objectContaining({ email: 'alex.entra@example.test', role: 'Team Manager' }));
    });

    it('removes a manager by value filter', async () => {
      await entra('PATCH', `/Users/${alex.id}`, patchOp({ op: 'Add', path: `${ENTERPRISE}:manager`, value: { value: 'mgr-1' } }));

      const response = await entra('PATCH', `/Users/${alex.id}`, patchOp({ op: 'Remove', path: `${ENTERPRISE}:manager[value eq "mgr-1"]` }));

      expect(response.status).toBe(200);
      expect((await read(alex.id))[ENTERPRISE]).toEqual({ department: 'Retail' });
    });
  });

  describe('disable and enable in the default dialect', () => {
    it('disables with active "False" and keeps the user readable', async () => {
      const response = await entra('PATCH', `/Users/${alex.id}`, patchOp({ op: 'Replace', path: 'active', value: 'False' }));
      const stored = await read(alex.id);

      expect(response.status).toBe(200);
      expect(response.body.active).toBe(false);
      expect(stored.active).toBe(false);
      expect(stored[PROVISIONING].state).toBe('removed');
      expect(await invitedEmails()).not.toContain('alex.entra@example.test');
      expect((await query('userName eq "alex.t@example.test"')).body.Resources[0].active).toBe(false);
    });

    it('answers a repeated disable without calls', async () => {
      const before = (await stack.fake.requests(team.teamId)).length;

      const response = await entra('PATCH', `/Users/${alex.id}`, patchOp({ op: 'Replace', path: 'active', value: 'False' }));

      expect(response.status).toBe(200);
      expect((await stack.fake.requests(team.teamId)).length).toBe(before);
    });

    it('enables with active "True"', async () => {
      const response = await entra('PATCH', `/Users/${alex.id}`, patchOp({ op: 'Replace', path: 'active', value: 'True' }));

      expect(response.status).toBe(200);
      expect((await read(alex.id)).active).toBe(true);
      expect(await invitedEmails()).toContain('alex.entra@example.test');
    });

    it('answers a resent enable without calls', async () => {
      const before = (await stack.fake.requests(team.teamId)).length;

      const response = await entra('PATCH', `/Users/${alex.id}`, patchOp({ op: 'Replace', path: 'active', value: true }));

      expect(response.status).toBe(200);
      expect(response.body.active).toBe(true);
      expect((await stack.fake.requests(team.teamId)).length).toBe(before);
    });
  });

  describe('updates with aadOptscim062020', () => {
    it('applies a path-less replace with dotted and URN keys as paths', async () => {
      const response = await entra(
        'PATCH',
        `/Users/${alex.id}?aadOptscim062020`,
        patchOp({
          op: 'replace',
          value: { displayName: 'Alex T.', 'name.givenName': 'Alexandra', 'name.familyName': 'Entra', [`${ENTERPRISE}:employeeNumber`]: 'E-1001' },
        }),
      );
      const stored = await read(alex.id);

      expect(response.status).toBe(200);
      expect(stored.displayName).toBe('Alex T.');
      expect(stored.name).toEqual({ formatted: 'Alex Entra', familyName: 'Entra', givenName: 'Alexandra' });
      expect(stored[ENTERPRISE]).toEqual({ department: 'Retail', employeeNumber: 'E-1001' });
      expect(stored['name.givenName']).toBeUndefined();
      expect(stored[`${ENTERPRISE}:employeeNumber`]).toBeUndefined();
    });

    it('adds a single value with a lower-case op', async () => {
      const response = await entra('PATCH', `/Users/${alex.id}?aadOptscim062020`, patchOp({ op: 'add', path: 'nickName', value: 'Lex' }));

      expect(response.status).toBe(200);
      expect((await read(alex.id)).nickName).toBe('Lex');
    });

    it('disables with a boolean and a lower-case op', async () => {
      const response = await entra('PATCH', `/Users/${alex.id}?aadOptscim062020`, patchOp({ op: 'replace', path: 'active', value: false }));

      expect(response.status).toBe(200);
      expect((await read(alex.id)).active).toBe(false);
    });
  });

  describe('delete', () => {
    it('deletes a user permanently and removes the invite', async () => {
      const created = await entra('POST', '/Users', entraCreateBody('del.entra@example.test', 'dentra'));
      expect(await invitedEmails()).toContain('del.entra@example.test');

      const response = await entra('DELETE', `/Users/${created.body.id}`);

      expect(response.status).toBe(204);
      expect(response.body).toBeNull();
      expect((await entra('GET', `/Users/${created.body.id}`)).status).toBe(404);
      expect((await query('userName eq "del.entra@example.test"')).body).toEqual(EMPTY_LIST);
      expect(await invitedEmails()).not.toContain('del.entra@example.test');
    });
  });

  describe('group provisioning left on', () => {
    it('answers group writes with 501', async () => {
      const created = await entra('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group', ENTRA_GROUP], externalId: 'obj-1', displayName: 'Sales', meta: { resourceType: 'Group' } });
      const members = await entra('PATCH', '/Groups/g-1', patchOp({ op: 'Add', path: 'members', value: [{ $ref: null, value: alex.id }] }));

      for (const response of [created, members]) {
        expect(response.status).toBe(501);
        expect(response.body).toMatchObject({ schemas: [ERROR], status: '501' });
      }
    });

    it('answers the group lookup by displayName with an empty list', async () => {
      const response = await entra('GET', `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Sales"')}`);

      expect(response.status).toBe(200);
      expect(response.body).toEqual(EMPTY_LIST);
    });
  });
});
