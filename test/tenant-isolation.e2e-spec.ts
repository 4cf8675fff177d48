import { randomUUID } from 'node:crypto';
import { createIntegration, scim, ScimResponse, Stack, startStack } from './support/stack';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

interface Tenant {
  integration: { id: string; token: string; scimBaseUrl: string };
  userId: string;
  userName: string;
}

/** Every SCIM route, with `:user` for a user id. Each row has a body slot, because jest passes `done` to a test function that takes more arguments than its row holds. */
const SCIM_ROUTES: Array<[string, string, unknown]> = [
  ['GET', '/Users', undefined],
  ['GET', '/Users?filter=userName%20eq%20%22b.user%40example.test%22', undefined],
  ['GET', '/Users/:user', undefined],
  ['POST', '/Users', { schemas: [CORE], userName: 'intruder@example.test' }],
  ['PUT', '/Users/:user', { schemas: [CORE], userName: 'b.user@example.test', active: false }],
  ['PATCH', '/Users/:user', { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] }],
  ['DELETE', '/Users/:user', undefined],
  ['GET', '/Groups', undefined],
  ['GET', '/ServiceProviderConfig', undefined],
  ['GET', '/Schemas', undefined],
  ['GET', '/ResourceTypes', undefined],
];

/** Every admin route, with `:id` for an integration id. */
const ADMIN_ROUTES: Array<[string, string]> = [
  ['GET', '/admin/api/integrations'],
  ['POST', '/admin/api/integrations'],
  ['GET', '/admin/api/integrations/:id'],
  ['PATCH', '/admin/api/integrations/:id'],
  ['POST', '/admin/api/integrations/:id/enable'],
  ['POST', '/admin/api/integrations/:id/disable'],
  ['POST', '/admin/api/integrations/:id/tokens'],
  ['POST', '/admin/api/integrations/:id/test-connection'],
  ['GET', '/admin/api/integrations/:id/audit'],
  ['GET', '/admin/api/integrations/:id/held-removals'],
  ['POST', '/admin/api/integrations/:id/held-removals/release'],
  ['POST', '/admin/api/integrations/:id/held-removals/discard'],
  ['GET', '/admin/api/integrations/:id/dry-run'],
  ['PUT', '/admin/api/integrations/:id/dry-run'],
];

describe('tenant isolation', () => {
  let stack: Stack;
  let tenantA: Tenant;
  let tenantB: Tenant;

  async function createTenant(name: string, userName: string): Promise<Tenant> {
    const team = await stack.fake.createTeam({ name, rateLimitPerMinute: 10_000 });
    const integration = await createIntegration(stack, { displayName: name, apiKey: team.apiKey });
    const created = await scim(integration.scimBaseUrl, integration.token, 'POST', '/Users', { schemas: [CORE], userName });
    return { integration, userId: created.body.id, userName };
  }

  async function storedUserOfB(): Promise<string> {
    // Only the columns that SCIM requests write: the worker may update the observed state meanwhile.
    const { rows } = await stack.db.query(
      `SELECT concat_ws('|', user_name, external_id, email, resource::text, active, role, desired_generation, version, deleted_at) AS row FROM scim_user WHERE id = $1`,
      [tenantB.userId],
    );
    return rows[0].row;
  }

  beforeAll(async () => {
    stack = await startStack({ SCIM_SYNC_WAIT_MS: '0' });
    tenantA = await createTenant('Tenant A', 'a.user@example.test');
    tenantB = await createTenant('Tenant B', 'b.user@example.test');
  });

  afterAll(async () => {
    await stack?.close();
  });

  it.each(SCIM_ROUTES)("refuses A's token at B's %s %s", async (method, route, body) => {
    const response = await scim(tenantB.integration.scimBaseUrl, tenantA.integration.token, method, route.replace(':user', tenantB.userId), body);

    expect(response.status).toBe(401);
    expect(JSON.stringify(response.body)).not.toContain(tenantB.userName);
  });

  it.each(SCIM_ROUTES.filter(([, route]) => route.includes(':user')))("hides B's user from A at %s %s", async (method, route, body) => {
    const before = await storedUserOfB();
    const forB = await scim(tenantA.integration.scimBaseUrl, tenantA.integration.token, method, route.replace(':user', tenantB.userId), body);
    const forNobody = await scim(tenantA.integration.scimBaseUrl, tenantA.integration.token, method, route.replace(':user', randomUUID()), body);

    expect(forB.status).toBe(404);
    expect(forNobody.status).toBe(404);
    expect(forB.body.detail.replace(tenantB.userId, 'ID')).toBe(forNobody.body.detail.replace(/[0-9a-f-]{36}/, 'ID'));
    expect(await storedUserOfB()).toBe(before);
  });

  it("finds none of B's users through A's filters", async () => {
    const filters = ['userName eq "b.user@example.test"', 'userName sw "b."', 'emails.value co "b.user"', `id eq "${tenantB.userId}"`];

    for (const filter of filters) {
      const response = await scim(tenantA.integration.scimBaseUrl, tenantA.integration.token, 'GET', `/Users?filter=${encodeURIComponent(filter)}`);
      expect(response.status).toBe(200);
      expect(response.body.totalResults).toBe(0);
    }

    const all = await scim(tenantA.integration.scimBaseUrl, tenantA.integration.token, 'GET', '/Users');
    expect(all.body.Resources.map((user: { userName: string }) => user.userName)).toEqual([tenantA.userName]);
  });

  it.each(ADMIN_ROUTES)("refuses A's SCIM token at %s %s", async (method, route) => {
    const response = await fetch(`${stack.gatewayUrl}${route.replace(':id', tenantB.integration.id)}`, {
      method,
      headers: { Authorization: `Bearer ${tenantA.integration.token}`, 'Content-Type': 'application/json' },
      body: method === 'GET' ? undefined : '{}',
    });

    // Repeated failed admin logins from one address are throttled with 429, which refuses as well.
    expect([401, 429]).toContain(response.status);
  });

  it("leaves B's user untouched and readable by B", async () => {
    const response: ScimResponse = await scim(tenantB.integration.scimBaseUrl, tenantB.integration.token, 'GET', `/Users/${tenantB.userId}`);

    expect(response.status).toBe(200);
    expect(response.body.active).toBe(true);
    expect(response.body.userName).toBe(tenantB.userName);
  });
});
