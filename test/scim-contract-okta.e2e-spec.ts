import { FakeTeam } from '@scimify/testing';
import { createIntegration, scim, ScimResponse, Stack, startStack } from './support/stack';

/**
 * Replays the requests that Okta's SCIM 2.0 app integrations send, and checks the status, the
 * body shape and the stored effect with a GET after each change. Both kinds of app are covered:
 * the OIN template deactivates with PATCH, and an App Integration Wizard app with PUT.
 */

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:custom:2.0:User';
const ACME = 'urn:ietf:params:scim:schemas:extension:acme:2.0:User';
const PROVISIONING = 'urn:scimify:params:scim:schemas:extension:provisioning:2.0:User';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const EMPTY_LIST = { schemas: [LIST], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] };

/** Builds the body Okta sends on assignment, including the `groups: []` and `password` that Okta adds. */
function oktaCreateBody(email: string, givenName: string, familyName: string, role?: string): Record<string, unknown> {
  return {
    schemas: [CORE, CUSTOM],
    userName: email,
    name: { givenName, familyName },
    emails: [{ primary: true, value: email, type: 'work' }],
    displayName: `${givenName} ${familyName}`,
    locale: 'en-US',
    externalId: `00u${givenName.toLowerCase()}123XYZ`,
    groups: [],
    password: 'Okta-Random-Password-1!',
    active: true,
    ...(role === undefined ? {} : { [CUSTOM]: { dropboxSign_role: role } }),
  };
}

/** Builds the path of Okta's lookup before a create: `eq` on userName, percent-encoded, with paging. */
function lookupPath(userName: string): string {
  const filter = `userName eq "${userName}"`.replace(/ /g, '%20').replace(/"/g, '%22').replace(/@/g, '%40');
  return `/Users?filter=${filter}&startIndex=1&count=100`;
}

describe('Okta request contract', () => {
  let stack: Stack;
  let team: FakeTeam;
  let integration: { id: string; token: string; scimBaseUrl: string };
  let jo: Record<string, any>;

  const okta = (method: string, path: string, body?: unknown): Promise<ScimResponse> =>
    scim(integration.scimBaseUrl, integration.token, method, path, body);

  async function read(id: string): Promise<Record<string, any>> {
    const response = await okta('GET', `/Users/${id}`);
    expect(response.status).toBe(200);
    return response.body;
  }

  async function teamEmails(): Promise<{ invited: string[]; members: string[] }> {
    const state = await stack.fake.team(team.teamId);
    return { invited: state.invites.map((invite) => invite.email), members: state.members.map((member) => member.email) };
  }

  beforeAll(async () => {
    stack = await startStack();
    team = await stack.fake.createTeam({ name: 'Okta Contract', rateLimitPerMinute: 1000 });
    integration = await createIntegration(stack, { displayName: 'Okta contract', apiKey: team.apiKey });
  });

  afterAll(async () => {
    await stack?.close();
  });

  describe('Test Connector Configuration', () => {
    it('answers the Users probe with an empty list', async () => {
      const response = await okta('GET', '/Users?startIndex=1&count=2');

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/scim\+json/);
      expect(response.body).toEqual(EMPTY_LIST);
    });

    it('answers the Groups probe with an empty list', async () => {
      const response = await okta('GET', '/Groups?startIndex=1&count=100');

      expect(response.status).toBe(200);
      expect(response.body).toEqual(EMPTY_LIST);
    });

    it('rejects a wrong token with 401 and a SCIM error', async () => {
      const response = await scim(integration.scimBaseUrl, 'okta-typo', 'GET', '/Users?startIndex=1&count=2');

      expect(response.status).toBe(401);
      expect(response.body.schemas).toEqual([ERROR]);
      expect(response.headers.get('www-authenticate')).toContain('Bearer');
    });
  });

  describe('assignment', () => {
    it('finds no user before the create', async () => {
      const response = await okta('GET', lookupPath('jo.tester@example.test'));

      expect(response.status).toBe(200);
      expect(response.body).toEqual(EMPTY_LIST);
    });

    it('creates the user and returns the full resource', async () => {
      const response = await okta('POST', '/Users', oktaCreateBody('jo.tester@example.test', 'Jo', 'Tester', 'Developer'));

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        schemas: expect.arrayContaining([CORE, CUSTOM]),
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        userName: 'jo.tester@example.test',
        active: true,
        externalId: '00ujo123XYZ',
        meta: { resourceType: 'User', location: `${stack.config.PUBLIC_BASE_URL}/scim/v2/${integration.id}/Users/${response.body.id}` },
        [CUSTOM]: { dropboxSign_role: 'Developer' },
      });
      expect(response.headers.get('location')).toBe(response.body.meta.location);
      expect(response.body.password).toBeUndefined();
      expect(response.body.groups).toBeUndefined();
      jo = response.body;
    });

    it('stores what Okta sent and invites the user', async () => {
      const stored = await read(jo.id);

      expect(stored.name).toEqual({ givenName: 'Jo', familyName: 'Tester' });
      expect(stored.emails).toEqual([{ primary: true, value: 'jo.tester@example.test', type: 'work' }]);
      expect(stored.displayName).toBe('Jo Tester');
      expect(stored.locale).toBe('en-US');
      expect(stored[PROVISIONING].state).toBe('invited');
      expect((await teamEmails()).invited).toContain('jo.tester@example.test');
    });

    it('links on the next lookup in any letter case', async () => {
      const response = await okta('GET', lookupPath('JO.TESTER@EXAMPLE.TEST'));

      expect(response.status).toBe(200);
      expect(response.body.totalResults).toBe(1);
      expect(response.body.itemsPerPage).toBe(1);
      expect(response.body.Resources[0].id).toBe(jo.id);
    });

    it('rejects a duplicate userName with 409 uniqueness', async () => {
      const response = await okta('POST', '/Users', oktaCreateBody('Jo.Tester@example.test', 'Jo', 'Again'));

      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ schemas: [ERROR], status: '409', scimType: 'uniqueness' });
      expect(response.body.detail).toContain('Jo.Tester@example.test');
    });

    it('keeps an unlisted custom extension', async () => {
      const body = { ...oktaCreateBody('sam.custom@example.test', 'Sam', 'Custom'), [ACME]: { badge: 'B-17' } };

      const created = await okta('POST', '/Users', body);
      const stored = await read(created.body.id);

      expect(created.status).toBe(201);
      expect(stored[ACME]).toEqual({ badge: 'B-17' });
      expect(stored[CUSTOM].dropboxSign_role).toBe('Member');
    });
  });

  describe('profile push (PUT)', () => {
    it('replaces the profile on PUT', async () => {
      const current = await read(jo.id);
      const { displayName: _dropped, ...withoutDisplayName } = current;
      const body = { ...withoutDisplayName, name: { givenName: 'Jo', familyName: 'Tester-Lee' }, groups: [], password: 'Okta-Random-Password-2!' };

      const response = await okta('PUT', `/Users/${jo.id}`, body);
      const stored = await read(jo.id);

      expect(response.status).toBe(200);
      expect(response.body.name.familyName).toBe('Tester-Lee');
      expect(stored.name).toEqual({ givenName: 'Jo', familyName: 'Tester-Lee' });
      expect(stored.displayName).toBeUndefined();
      expect(stored.active).toBe(true);
      expect(stored.meta.version).not.toBe(current.meta.version);
    });

    it('drops an echoed provisioning extension', async () => {
      const current = await read(jo.id);
      expect(current[PROVISIONING]).toEqual(expect.objectContaining({ state: 'invited' }));

      const response = await okta('PUT', `/Users/${jo.id}`, { ...current, [PROVISIONING]: { state: 'member', dropboxSignAccountId: 'forged', lastError: null } });
      const { rows } = await stack.db.query(`SELECT resource FROM scim_user WHERE id = $1`, [jo.id]);

      expect(response.status).toBe(200);
      expect(response.body[PROVISIONING]).toEqual(expect.objectContaining({ state: 'invited', dropboxSignAccountId: null }));
      expect(rows[0].resource[PROVISIONING]).toBeUndefined();
      expect(rows[0].resource.schemas).not.toContain(PROVISIONING);
    });

    it('keeps the user active when the PUT has no active', async () => {
      const { active: _omitted, ...body } = await read(jo.id);

      const response = await okta('PUT', `/Users/${jo.id}`, body);

      expect(response.status).toBe(200);
      expect((await read(jo.id)).active).toBe(true);
    });
  });

  describe('deactivation and reactivation (OIN app, PATCH)', () => {
    it('deactivates with a path-less replace and keeps the user readable', async () => {
      const response = await okta('PATCH', `/Users/${jo.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] });
      const stored = await read(jo.id);

      expect(response.status).toBe(200);
      expect(response.body.active).toBe(false);
      expect(stored.active).toBe(false);
      expect(stored[PROVISIONING].state).toBe('removed');
      expect((await teamEmails()).invited).not.toContain('jo.tester@example.test');
    });

    it('still finds the deactivated user by filter', async () => {
      const response = await okta('GET', lookupPath('jo.tester@example.test'));

      expect(response.body.totalResults).toBe(1);
      expect(response.body.Resources[0].active).toBe(false);
    });

    it('reactivates with a path-less replace', async () => {
      const response = await okta('PATCH', `/Users/${jo.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: true } }] });

      expect(response.status).toBe(200);
      expect((await read(jo.id)).active).toBe(true);
      expect((await teamEmails()).invited).toContain('jo.tester@example.test');
    });

    it('accepts a password push and stores no password', async () => {
      const response = await okta('PATCH', `/Users/${jo.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { password: 'Okta-Synced-Password-3!' } }] });
      const { rows } = await stack.db.query(`SELECT resource::text AS resource FROM scim_user WHERE id = $1`, [jo.id]);

      expect(response.status).toBe(200);
      expect(response.body.password).toBeUndefined();
      expect(rows[0].resource).not.toContain('Okta-Synced-Password-3!');
    });
  });

  describe('deactivation (App Integration Wizard app, PUT)', () => {
    it('deactivates with a full PUT and active false', async () => {
      const current = await read(jo.id);

      const response = await okta('PUT', `/Users/${jo.id}`, { ...current, active: false });
      const stored = await read(jo.id);

      expect(response.status).toBe(200);
      expect(stored.active).toBe(false);
      expect(stored.name).toEqual(current.name);
      expect((await teamEmails()).invited).not.toContain('jo.tester@example.test');
    });

    it('reactivates with a full PUT and active true', async () => {
      const current = await read(jo.id);

      const response = await okta('PUT', `/Users/${jo.id}`, { ...current, active: true });

      expect(response.status).toBe(200);
      expect((await read(jo.id)).active).toBe(true);
    });
  });

  describe('import', () => {
    it('pages with integer counters in stable order', async () => {
      for (const name of ['ada', 'bo', 'cy']) {
        expect((await okta('POST', '/Users', oktaCreateBody(`${name}.import@example.test`, name, 'Import'))).status).toBe(201);
      }

      const first = await okta('GET', '/Users?startIndex=1&count=2');
      const second = await okta('GET', '/Users?startIndex=3&count=2');
      const third = await okta('GET', '/Users?startIndex=5&count=2');
      const all = await okta('GET', '/Users?startIndex=1&count=100');

      for (const page of [first, second, third]) {
        expect(page.body.totalResults).toBe(5);
        expect(typeof page.body.startIndex).toBe('number');
        expect(typeof page.body.itemsPerPage).toBe('number');
      }
      expect([first.body.itemsPerPage, second.body.itemsPerPage, third.body.itemsPerPage]).toEqual([2, 2, 1]);
      const paged = [...first.body.Resources, ...second.body.Resources, ...third.body.Resources].map((user: { id: string }) => user.id);
      expect(paged).toEqual(all.body.Resources.map((user: { id: string }) => user.id));
    });

    it('returns an empty page past the end', async () => {
      const response = await okta('GET', '/Users?startIndex=101&count=100');

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ schemas: [LIST], totalResults: 5, startIndex: 101, itemsPerPage: 0, Resources: [] });
    });

    it('answers an unknown id with a SCIM 404', async () => {
      const response = await okta('GET', '/Users/010101001010101011001010101011');

      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ schemas: [ERROR], status: '404' });
    });
  });

  describe('Push Groups left on', () => {
    it('answers group pushes with 501 naming the fix', async () => {
      const created = await okta('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Eng', members: [] });
      const renamed = await okta('PATCH', '/Groups/g-1', { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { id: 'g-1', displayName: 'Eng' } }] });

      for (const response of [created, renamed]) {
        expect(response.status).toBe(501);
        expect(response.body.schemas).toEqual([ERROR]);
        expect(response.body.detail).toContain('Push Groups');
      }
    });
  });
});
