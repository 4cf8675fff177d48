import { createIntegration, scim, ScimResponse, Stack, startStack } from './support/stack';
import { eventually } from './support/eventually';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';

describe('Postgres outage', () => {
  let stack: Stack;
  let integration: { id: string; token: string; scimBaseUrl: string };
  let teamId: string;
  let existingUserId: string;

  const users = (method: string, path: string, body?: unknown): Promise<ScimResponse> =>
    scim(integration.scimBaseUrl, integration.token, method, path, body);

  beforeAll(async () => {
    stack = await startStack({ SCIM_SYNC_WAIT_MS: '2000', SWEEP_INTERVAL_SECONDS: '2' }, { proxyDatabase: true });
    const team = await stack.fake.createTeam({ rateLimitPerMinute: 10_000 });
    teamId = team.teamId;
    integration = await createIntegration(stack, { displayName: 'Outage', apiKey: team.apiKey });
    const created = await users('POST', '/Users', { schemas: [CORE], userName: 'before@example.test' });
    existingUserId = created.body.id;
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('answers 503 with Retry-After while Postgres is away', async () => {
    stack.databaseProxy!.cut();

    const requests: Array<[string, string, unknown?]> = [
      ['GET', '/Users?startIndex=1&count=2'],
      ['GET', `/Users/${existingUserId}`],
      ['POST', '/Users', { schemas: [CORE], userName: 'during@example.test' }],
      ['PATCH', `/Users/${existingUserId}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] }],
    ];

    for (const [method, path, body] of requests) {
      const started = Date.now();
      const response = await users(method, path, body);

      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(response.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
      expect(response.body.detail).not.toMatch(/\.ts:\d+|\.js:\d+/);
      expect(Date.now() - started).toBeLessThan(15_000);
    }

    const ready = await fetch(`${stack.gatewayUrl}/health/ready`);
    expect(ready.status).toBe(503);
  });

  it('recovers by itself when Postgres returns', async () => {
    stack.databaseProxy!.restore();

    const recovered = await eventually(async () => (await users('GET', '/Users')).status === 200, 30_000);
    expect(recovered).toBe(true);

    const created = await users('POST', '/Users', { schemas: [CORE], userName: 'after@example.test' });
    expect(created.status).toBe(201);

    const invited = await eventually(async () => {
      const team = await stack.fake.team(teamId);
      return team.invites.some((invite) => invite.email === 'after@example.test');
    }, 30_000);
    expect(invited).toBe(true);

    const during = await users('GET', `/Users?filter=${encodeURIComponent('userName eq "during@example.test"')}`);
    expect(during.body.totalResults).toBe(0);
  });
});
