import { createIntegration, scim, Stack, startStack } from './support/stack';
import { eventually } from './support/eventually';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';

describe('Redis outage', () => {
  let stack: Stack;
  let integration: { id: string; token: string; scimBaseUrl: string };
  let teamId: string;

  beforeAll(async () => {
    stack = await startStack({ SCIM_SYNC_WAIT_MS: '1000', SWEEP_INTERVAL_SECONDS: '2' }, { proxyRedis: true });
    const team = await stack.fake.createTeam({ rateLimitPerMinute: 10_000 });
    teamId = team.teamId;
    integration = await createIntegration(stack, { displayName: 'Redis outage', apiKey: team.apiKey });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('stores SCIM writes while Redis is away and applies them after', async () => {
    stack.redisProxy!.cut();

    const emails = ['redis.a@example.test', 'redis.b@example.test', 'redis.c@example.test'];
    for (const email of emails) {
      const started = Date.now();
      const created = await scim(integration.scimBaseUrl, integration.token, 'POST', '/Users', { schemas: [CORE], userName: email });

      expect(created.status).toBe(201);
      expect(created.body['urn:scimify:params:scim:schemas:extension:provisioning:2.0:User'].state).toBe('pending');
      expect(Date.now() - started).toBeLessThan(10_000);
    }

    stack.redisProxy!.restore();

    const applied = await eventually(async () => {
      const team = await stack.fake.team(teamId);
      return emails.every((email) => team.invites.some((invite) => invite.email === email));
    }, 60_000);
    expect(applied).toBe(true);

    const adds = (await stack.fake.requests(teamId)).filter((request) => request.path === '/v3/team/add_member');
    expect(adds).toHaveLength(emails.length);
  });
});
