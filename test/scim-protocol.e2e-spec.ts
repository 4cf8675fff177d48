import { request as httpRequest } from 'node:http';
import { FakeTeam } from '@scimify/testing';
import { createIntegration, scim, ScimResponse, Stack, startStack } from './support/stack';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:custom:2.0:User';
const PROVISIONING = 'urn:scimify:params:scim:schemas:extension:provisioning:2.0:User';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const MAX_RESULTS = 5;
const MAX_BODY_BYTES = 4096;

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** Sends exactly the given headers, because fetch adds a User-Agent of its own. */
function rawRequest(url: string, method: string, headers: Record<string, string>, body?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

function userBody(userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemas: [CORE],
    userName,
    name: { givenName: 'Pat', familyName: 'Protocol' },
    emails: [{ primary: true, type: 'work', value: userName }],
    active: true,
    ...extra,
  };
}

describe('SCIM protocol surface', () => {
  let stack: Stack;
  let team: FakeTeam;
  let integration: { id: string; token: string; scimBaseUrl: string };
  let pat: { id: string; meta: { version: string } };

  const call = (method: string, path: string, body?: unknown, contentType?: string): Promise<ScimResponse> =>
    scim(integration.scimBaseUrl, integration.token, method, path, body, contentType);

  function expectScimError(response: ScimResponse | { status: number; body: any }, status: number, scimType?: string): void {
    expect(response.status).toBe(status);
    expect(response.body.schemas).toEqual([ERROR]);
    expect(response.body.status).toBe(String(status));
    expect(response.body.detail).toEqual(expect.any(String));
    if (scimType) expect(response.body.scimType).toBe(scimType);
  }

  beforeAll(async () => {
    stack = await startStack({ SCIM_MAX_RESULTS: String(MAX_RESULTS), SCIM_MAX_BODY_BYTES: String(MAX_BODY_BYTES), SCIM_SYNC_WAIT_MS: '2000' });
    team = await stack.fake.createTeam({ name: 'Protocol Team', rateLimitPerMinute: 1000 });
    integration = await createIntegration(stack, { displayName: 'Protocol', apiKey: team.apiKey });

    const created = await call('POST', '/Users', userBody('pat.protocol@example.test', { [ENTERPRISE]: { department: 'Legal' } }));
    expect(created.status).toBe(201);
    pat = created.body;
  });

  afterAll(async () => {
    await stack?.close();
  });

  describe('discovery', () => {
    it('reports the service provider configuration', async () => {
      const response = await call('GET', '/ServiceProviderConfig');

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('application/scim+json');
      expect(response.body.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig']);
      expect(response.body.patch.supported).toBe(true);
      expect(response.body.bulk.supported).toBe(false);
      expect(response.body.sort.supported).toBe(false);
      expect(response.body.changePassword.supported).toBe(false);
      expect(response.body.etag.supported).toBe(true);
      expect(response.body.filter).toEqual({ supported: true, maxResults: MAX_RESULTS });
      expect(response.body.authenticationSchemes[0].type).toBe('oauthbearertoken');
      expect(response.body.meta.location).toBe(`${stack.config.PUBLIC_BASE_URL}/scim/v2/${integration.id}/ServiceProviderConfig`);
    });

    it('lists the User resource type', async () => {
      const list = await call('GET', '/ResourceTypes');
      const single = await call('GET', '/ResourceTypes/User');

      expect(list.status).toBe(200);
      expect(list.body.schemas).toEqual([LIST]);
      expect(list.body.Resources.map((type: { id: string }) => type.id)).toEqual(['User']);
      expect(single.status).toBe(200);
      expect(single.body.schemaExtensions.map((extension: { schema: string }) => extension.schema)).toEqual([ENTERPRISE, CUSTOM, PROVISIONING]);
      expectScimError(await call('GET', '/ResourceTypes/Group'), 404);
    });

    it('lists the schemas and reads one by URN', async () => {
      const list = await call('GET', '/Schemas');
      const custom = await call('GET', `/Schemas/${CUSTOM}`);

      expect(list.status).toBe(200);
      expect(list.body.totalResults).toBe(4);
      expect(list.body.Resources.map((schema: { id: string }) => schema.id)).toEqual([CORE, ENTERPRISE, CUSTOM, PROVISIONING]);
      expect(custom.status).toBe(200);
      expect(custom.body.attributes[0]).toMatchObject({ name: 'dropboxSign_role', canonicalValues: ['Member', 'Developer', 'Team Manager', 'Admin'] });
      expectScimError(await call('GET', '/Schemas/urn:example:unknown'), 404);
    });

    it('rejects a filter on discovery endpoints', async () => {
      expectScimError(await call('GET', `/Schemas?filter=${encodeURIComponent('id eq "x"')}`), 403);
      expectScimError(await call('GET', `/ResourceTypes?filter=${encodeURIComponent('id eq "User"')}`), 403);
    });

    it('requires the bearer token', async () => {
      for (const path of ['/ServiceProviderConfig', '/ResourceTypes', '/Schemas', `/Schemas/${CORE}`]) {
        const response = await scim(integration.scimBaseUrl, 'wrong-token', 'GET', path);
        expect(`${path} ${response.status}`).toBe(`${path} 401`);
      }
    });
  });

  describe('groups and unsupported endpoints', () => {
    it('lists no groups and echoes the paging', async () => {
      const plain = await call('GET', '/Groups');
      const paged = await call('GET', `/Groups?startIndex=3&count=2&excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Sales"')}`);

      expect(plain.status).toBe(200);
      expect(plain.body).toEqual({ schemas: [LIST], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
      expect(paged.status).toBe(200);
      expect(paged.body).toEqual({ schemas: [LIST], totalResults: 0, startIndex: 3, itemsPerPage: 0, Resources: [] });
    });

    it('rejects a bad group filter and bad paging', async () => {
      expectScimError(await call('GET', `/Groups?filter=${encodeURIComponent('displayName eq')}`), 400, 'invalidFilter');
      expectScimError(await call('GET', '/Groups?startIndex=first'), 400, 'invalidValue');
    });

    it('answers a group id with 404', async () => {
      expectScimError(await call('GET', '/Groups/0a21f0f2-0000-4000-8000-000000000001?excludedAttributes=members'), 404);
    });

    it('answers every group write with 501', async () => {
      const group = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Sales', members: [] };
      const patch = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { displayName: 'Eng' } }] };
      const writes: Array<[string, string, unknown]> = [
        ['POST', '/Groups', group],
        ['PUT', '/Groups/g-1', group],
        ['PATCH', '/Groups/g-1', patch],
        ['DELETE', '/Groups/g-1', undefined],
      ];

      for (const [method, path, body] of writes) {
        const response = await call(method, path, body);
        expect(`${method} ${response.status}`).toBe(`${method} 501`);
        expect(response.body.detail).toContain('users only');
      }
    });

    it('answers an unknown endpoint with a SCIM 404', async () => {
      const response = await call('GET', '/Devices');

      expectScimError(response, 404);
      expect(response.headers.get('content-type')).toContain('application/scim+json');
    });

    it('answers Bulk and Me with 501', async () => {
      const bulk = await call('POST', '/Bulk', { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: [] });
      const me = await call('GET', '/Me');

      expectScimError(bulk, 501);
      expect(bulk.body.detail).toContain('Bulk');
      expectScimError(me, 501);
    });
  });

  describe('requests', () => {
    it('accepts both media types with and without charset', async () => {
      const types = ['application/scim+json', 'application/scim+json; charset=utf-8', 'application/json', 'application/json;charset=UTF-8'];

      for (const [index, contentType] of types.entries()) {
        const response = await call('POST', '/Users', userBody(`media.${index}@example.test`), contentType);
        expect(`${contentType} ${response.status}`).toBe(`${contentType} 201`);
      }
    });

    it('rejects another media type with 415', async () => {
      const response = await call('POST', '/Users', 'userName=x', 'application/x-www-form-urlencoded');

      expectScimError(response, 415);
      expect(response.body.detail).toContain('application/scim+json');
    });

    it('needs no User-Agent header', async () => {
      const response = await rawRequest(`${integration.scimBaseUrl}/Users?startIndex=1&count=1`, 'GET', { Authorization: `Bearer ${integration.token}` });

      expect(response.status).toBe(200);
      expect(JSON.parse(response.text).totalResults).toBeGreaterThan(0);
    });

    it('answers a body over the limit with 413', async () => {
      const large = userBody('large@example.test', { displayName: 'x'.repeat(MAX_BODY_BYTES) });
      const response = await call('POST', '/Users', large);

      expectScimError(response, 413);
      expect(response.body.detail).toContain(String(MAX_BODY_BYTES));
    });

    it('answers malformed JSON with invalidSyntax', async () => {
      const response = await call('POST', '/Users', '{"userName": "broken@example.test",');

      expectScimError(response, 400, 'invalidSyntax');
    });

    it.each(['application/json', 'application/scim+json'])('refuses bad bodies sent as %s', async (contentType) => {
      const nul = await call('POST', '/Users', '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a\\u0000b@example.test"}', contentType);
      const deep = await call('POST', '/Users', `{"userName":"deep@example.test","x":${'['.repeat(100)}${']'.repeat(100)}}`, contentType);
      const proto = await call('POST', '/Users', '{"userName":"proto@example.test","__proto__":{"admin":true}}', contentType);

      expectScimError(nul, 400, 'invalidValue');
      expectScimError(deep, 400, 'invalidSyntax');
      expectScimError(proto, 400, 'invalidSyntax');
      expect(proto.body.detail).toContain('__proto__');
    });

    it('tolerates Entra flags in the query string', async () => {
      const list = await call('GET', `/Users?aadOptscim062020&filter=${encodeURIComponent('userName eq "pat.protocol@example.test"')}`);
      const read = await call('GET', `/Users/${pat.id}?aadOptscim062020`);
      const patched = await call('PATCH', `/Users/${pat.id}?aadOptscim062020`, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'replace', path: 'title', value: 'Counsel' }],
      });

      expect(list.status).toBe(200);
      expect(list.body.totalResults).toBe(1);
      expect(read.status).toBe(200);
      expect(patched.status).toBe(200);
      expect(patched.body.title).toBe('Counsel');
      pat = patched.body;
    });

    it('decodes percent-encoded and plus-encoded filters alike', async () => {
      const percent = await call('GET', '/Users?filter=userName%20eq%20%22pat.protocol%40example.test%22');
      const plus = await call('GET', '/Users?filter=userName+eq+%22pat.protocol%40example.test%22');
      const unquoted = await call('GET', '/Users?filter=userName+eq+pat.protocol@example.test');

      for (const response of [percent, plus, unquoted]) {
        expect(response.status).toBe(200);
        expect(response.body.Resources.map((user: { id: string }) => user.id)).toEqual([pat.id]);
      }
    });

    it('keeps an encoded plus sign in a filter value', async () => {
      const created = await call('POST', '/Users', userBody('first+x@example.test'));
      const found = await call('GET', '/Users?filter=userName%20eq%20%22first%2Bx%40example.test%22');

      expect(created.status).toBe(201);
      expect(found.body.Resources.map((user: { userName: string }) => user.userName)).toEqual(['first+x@example.test']);
    });
  });

  describe('reads', () => {
    it('selects attributes on a read by id', async () => {
      const response = await call('GET', `/Users/${pat.id}?attributes=userName,name.givenName`);

      expect(response.status).toBe(200);
      expect(Object.keys(response.body).sort()).toEqual(['id', 'meta', 'name', 'schemas', 'userName']);
      expect(response.body.name).toEqual({ givenName: 'Pat' });
    });

    it('excludes attributes on a read by id', async () => {
      const response = await call('GET', `/Users/${pat.id}?excludedAttributes=emails,${ENTERPRISE}`);

      expect(response.body.emails).toBeUndefined();
      expect(response.body[ENTERPRISE]).toBeUndefined();
      expect(response.body.userName).toBe('pat.protocol@example.test');
      expect(response.body.id).toBe(pat.id);
    });

    it('selects attributes in a list', async () => {
      const filter = encodeURIComponent('userName eq "pat.protocol@example.test"');
      const response = await call('GET', `/Users?filter=${filter}&attributes=${encodeURIComponent(`userName,${ENTERPRISE}:department`)}`);

      expect(response.body.Resources).toEqual([
        { id: pat.id, schemas: expect.any(Array), meta: expect.any(Object), userName: 'pat.protocol@example.test', [ENTERPRISE]: { department: 'Legal' } },
      ]);
    });

    it('excludes attributes in a list and on a write', async () => {
      const list = await call('GET', `/Users?count=2&excludedAttributes=name,${PROVISIONING}`);
      const patched = await call('PATCH', `/Users/${pat.id}?attributes=title`, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'replace', path: 'title', value: 'General Counsel' }],
      });

      expect(list.body.Resources).toHaveLength(2);
      for (const user of list.body.Resources) {
        expect(user.name).toBeUndefined();
        expect(user[PROVISIONING]).toBeUndefined();
        expect(user.userName).toEqual(expect.any(String));
      }
      expect(Object.keys(patched.body).sort()).toEqual(['id', 'meta', 'schemas', 'title']);
      pat = { ...pat, meta: patched.body.meta };
    });

    it('caps the page size and keeps counters integers', async () => {
      const response = await call('GET', '/Users?startIndex=1&count=500');

      expect(response.body.itemsPerPage).toBe(MAX_RESULTS);
      expect(response.body.Resources).toHaveLength(MAX_RESULTS);
      expect(Number.isInteger(response.body.totalResults)).toBe(true);
      expect(response.body.totalResults).toBeGreaterThan(MAX_RESULTS);
      expect(response.body.startIndex).toBe(1);
    });

    it('pages with startIndex without overlap', async () => {
      const first = await call('GET', '/Users?startIndex=1&count=3');
      const second = await call('GET', '/Users?startIndex=4&count=3');
      const ids = [...first.body.Resources, ...second.body.Resources].map((user: { id: string }) => user.id);

      expect(second.body.startIndex).toBe(4);
      expect(new Set(ids).size).toBe(ids.length);
      expect(first.body.totalResults).toBe(second.body.totalResults);
    });

    it('rejects a repeated filter parameter', async () => {
      const response = await call('GET', '/Users?filter=userName+eq+%22a%40example.test%22&filter=active+eq+true');

      expectScimError(response, 400, 'invalidFilter');
      expect(response.body.detail).toContain('2 times');
    });

    it('rejects a filter on an unknown attribute', async () => {
      const response = await call('GET', `/Users?filter=${encodeURIComponent('favouriteColour eq "blue"')}`);

      expectScimError(response, 400, 'invalidFilter');
      expect(response.body.detail).toContain('favouriteColour');
    });
  });

  describe('ETags', () => {
    it('sends the weak ETag of the current version', async () => {
      const response = await call('GET', `/Users/${pat.id}`);

      expect(response.headers.get('etag')).toBe(response.body.meta.version);
      expect(response.body.meta.version).toMatch(/^W\/"\d+"$/);
      pat = response.body;
    });

    it('answers a matching If-None-Match with 304', async () => {
      const version = pat.meta.version;
      const unchanged = await rawRequest(`${integration.scimBaseUrl}/Users/${pat.id}`, 'GET', { Authorization: `Bearer ${integration.token}`, 'If-None-Match': version });
      const changed = await rawRequest(`${integration.scimBaseUrl}/Users/${pat.id}`, 'GET', { Authorization: `Bearer ${integration.token}`, 'If-None-Match': 'W/"999999"' });

      expect(unchanged.status).toBe(304);
      expect(unchanged.text).toBe('');
      expect(unchanged.headers.etag).toBe(version);
      expect(changed.status).toBe(200);
      expect(JSON.parse(changed.text).id).toBe(pat.id);
    });

    it('rejects a stale If-Match on PUT, PATCH and DELETE with 412', async () => {
      const stale = 'W/"1"';
      const headers = { Authorization: `Bearer ${integration.token}`, 'Content-Type': 'application/scim+json', 'If-Match': stale };
      const patch = JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'title', value: 'Stale' }] });
      const url = `${integration.scimBaseUrl}/Users/${pat.id}`;

      const responses = [
        await rawRequest(url, 'PUT', headers, JSON.stringify(userBody('pat.protocol@example.test'))),
        await rawRequest(url, 'PATCH', headers, patch),
        await rawRequest(url, 'DELETE', { Authorization: headers.Authorization, 'If-Match': stale }),
      ];

      for (const response of responses) {
        expectScimError({ status: response.status, body: JSON.parse(response.text) }, 412);
      }
      const read = await call('GET', `/Users/${pat.id}`);
      expect(read.body.title).toBe('General Counsel');
    });

    it('applies a write whose If-Match is current', async () => {
      const headers = { Authorization: `Bearer ${integration.token}`, 'Content-Type': 'application/scim+json', 'If-Match': pat.meta.version };
      const patch = JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'title', value: 'Partner' }] });

      const response = await rawRequest(`${integration.scimBaseUrl}/Users/${pat.id}`, 'PATCH', headers, patch);
      const body = JSON.parse(response.text);

      expect(response.status).toBe(200);
      expect(body.title).toBe('Partner');
      expect(body.meta.version).not.toBe(pat.meta.version);
      expect(response.headers.etag).toBe(body.meta.version);
    });
  });

  describe('uniqueness and ignored attributes', () => {
    it('rejects a second user with the same userName in another case', async () => {
      const response = await call('POST', '/Users', userBody('PAT.PROTOCOL@EXAMPLE.TEST'));

      expectScimError(response, 409, 'uniqueness');
      expect(response.body.detail).toContain('PAT.PROTOCOL@EXAMPLE.TEST');
    });

    it('rejects a rename onto another userName', async () => {
      const other = await call('POST', '/Users', userBody('rename.target@example.test'));
      const renamed = await call('PATCH', `/Users/${other.body.id}`, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'replace', path: 'userName', value: 'Pat.Protocol@example.test' }],
      });

      expectScimError(renamed, 409, 'uniqueness');
      expect((await call('GET', `/Users/${other.body.id}`)).body.userName).toBe('rename.target@example.test');
    });

    it('ignores groups, meta, id and password in a PUT', async () => {
      const body = {
        ...userBody('pat.protocol@example.test'),
        id: 'not-the-id',
        password: 'Secret-Password-1!',
        groups: [{ value: 'g-1', display: 'Sales' }],
        meta: { resourceType: 'User', version: 'W/"424242"', created: '2001-01-01T00:00:00Z' },
      };

      const replaced = await call('PUT', `/Users/${pat.id}`, body);
      const read = await call('GET', `/Users/${pat.id}`);
      const { rows } = await stack.db.query(`SELECT resource::text AS resource FROM scim_user WHERE id = $1`, [pat.id]);

      expect(replaced.status).toBe(200);
      for (const user of [replaced.body, read.body]) {
        expect(user.id).toBe(pat.id);
        expect(user.password).toBeUndefined();
        expect(user.groups).toBeUndefined();
        expect(user.meta.created).not.toBe('2001-01-01T00:00:00Z');
        expect(user.meta.version).not.toBe('W/"424242"');
      }
      expect(rows[0].resource).not.toContain('Secret-Password-1!');
      expect(rows[0].resource).not.toContain('g-1');
    });

    it('replaces the stored resource on PUT', async () => {
      const read = await call('GET', `/Users/${pat.id}`);

      expect(read.body.title).toBeUndefined();
      expect(read.body[ENTERPRISE]).toBeUndefined();
      expect(read.body.name).toEqual({ givenName: 'Pat', familyName: 'Protocol' });
    });
  });
});
