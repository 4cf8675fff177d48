import { createIntegration, scim, Stack, startStack } from './support/stack';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:custom:2.0:User';
const PROVISIONING = 'urn:scimify:params:scim:schemas:extension:provisioning:2.0:User';

/** With SCIM_SYNC_WAIT_MS=0 the response to a create is the inserted row, not read again. */
describe('POST /Users without a wait', () => {
  let stack: Stack;
  let integration: { scimBaseUrl: string; token: string };

  beforeAll(async () => {
    stack = await startStack({ SCIM_SYNC_WAIT_MS: '0' });
    const team = await stack.fake.createTeam({ rateLimitPerMinute: 10_000 });
    integration = await createIntegration(stack, { displayName: 'No wait', apiKey: team.apiKey });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('returns the inserted user', async () => {
    const body = {
      schemas: [CORE, CUSTOM],
      userName: 'First.Last@Example.test',
      externalId: 'okta-00u1',
      name: { givenName: 'First', familyName: 'Last' },
      emails: [{ primary: true, value: 'first.last@example.test', type: 'work' }],
      active: true,
      [CUSTOM]: { dropboxSign_role: 'Team Manager' },
    };

    const created = await scim(integration.scimBaseUrl, integration.token, 'POST', '/Users', body);

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      userName: 'First.Last@Example.test',
      externalId: 'okta-00u1',
      active: true,
      name: { givenName: 'First', familyName: 'Last' },
      [CUSTOM]: { dropboxSign_role: 'Team Manager' },
      [PROVISIONING]: { state: 'pending', dropboxSignAccountId: null, lastError: null },
      meta: { resourceType: 'User', version: 'W/"1"' },
    });
    expect(created.body.meta.location).toMatch(new RegExp(`/scim/v2/[0-9a-f-]+/Users/${created.body.id}$`));
    expect(created.headers.get('location')).toBe(created.body.meta.location);
    expect(created.headers.get('etag')).toBe('W/"1"');

    const read = await scim(integration.scimBaseUrl, integration.token, 'GET', `/Users/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      id: created.body.id,
      userName: created.body.userName,
      schemas: created.body.schemas,
      [CUSTOM]: created.body[CUSTOM],
      meta: { created: created.body.meta.created, location: created.body.meta.location },
    });
  });
});
