import { INestApplication } from '@nestjs/common';
import { createGatewayApp } from '../apps/gateway/src/gateway-app';
import { TokenCacheService } from '../apps/gateway/src/scim/token-cache.service';
import { createIntegration, scim, Stack, startStack } from './support/stack';

/**
 * Two gateway replicas on one database and one Redis: the stack's gateway takes the admin
 * changes, and the second one must stop accepting a token at once although it cached it.
 */
describe('SCIM token cache across gateway replicas', () => {
  let stack: Stack;
  let replica: INestApplication;
  let replicaUrl: string;
  let integration: { id: string; token: string };

  const listOnReplica = (token: string) => scim(`${replicaUrl}/scim/v2/${integration.id}`, token, 'GET', '/Users?count=1');

  beforeAll(async () => {
    stack = await startStack();
    replica = await createGatewayApp(stack.config);
    await replica.listen(0, '127.0.0.1');
    replicaUrl = (await replica.getUrl()).replace('[::1]', '127.0.0.1');

    const team = await stack.fake.createTeam({ name: 'Cache Team', rateLimitPerMinute: 1000 });
    integration = await createIntegration(stack, { displayName: 'Cache test', apiKey: team.apiKey });
  });

  afterAll(async () => {
    await replica?.close();
    await stack?.close();
  });

  /** Waits until the replica's cache is subscribed and the token is in it. */
  async function warmReplica(token: string): Promise<void> {
    const cache = replica.get(TokenCacheService);

    for (let attempt = 0; attempt < 50; attempt++) {
      if (cache.isActive() && (await listOnReplica(token)).status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the replica did not subscribe to integration changes or did not accept the token within 5 s');
  }

  it('serves a cached token without reading Postgres', async () => {
    const issued = await stack.admin('POST', `/integrations/${integration.id}/tokens`);
    await warmReplica(issued.body.token);

    // Revoked behind the gateways' back: no change is published, so the replica keeps its cache entry.
    await stack.db.query(`UPDATE scim_token SET revoked_at = now() WHERE id = $1`, [issued.body.tokenId]);
    expect((await listOnReplica(issued.body.token)).status).toBe(200);

    // Any published change of the integration drops the entry.
    await stack.admin('PATCH', `/integrations/${integration.id}`, { displayName: 'Cache test, renamed' });
    expect((await listOnReplica(issued.body.token)).status).toBe(401);
  });

  it('refuses a revoked token on the other replica at once', async () => {
    const issued = await stack.admin('POST', `/integrations/${integration.id}/tokens`);
    await warmReplica(issued.body.token);

    const revoked = await stack.admin('DELETE', `/integrations/${integration.id}/tokens/${issued.body.tokenId}`);
    expect(revoked.status).toBe(204);

    const response = await listOnReplica(issued.body.token);
    expect(response.status).toBe(401);
    expect(response.body.detail).toContain('Missing or invalid bearer token');
  });

  it('refuses a disabled integration on the other replica at once', async () => {
    await warmReplica(integration.token);

    await stack.admin('POST', `/integrations/${integration.id}/disable`);
    const disabled = await listOnReplica(integration.token);
    expect(disabled.status).toBe(403);
    expect(disabled.body.detail).toContain('is disabled');

    await stack.admin('POST', `/integrations/${integration.id}/enable`);
    expect((await listOnReplica(integration.token)).status).toBe(200);
  });

  it('refuses the token that a rotation revoked at once', async () => {
    const first = await stack.admin('POST', `/integrations/${integration.id}/tokens`);
    await warmReplica(first.body.token);

    // Two tokens stay active: issuing two more revokes the first.
    await stack.admin('POST', `/integrations/${integration.id}/tokens`);
    const third = await stack.admin('POST', `/integrations/${integration.id}/tokens`);

    expect((await listOnReplica(first.body.token)).status).toBe(401);
    expect((await listOnReplica(third.body.token)).status).toBe(200);
  });

  it('refuses a token of another integration on the replica', async () => {
    const team = await stack.fake.createTeam({ name: 'Other Team', rateLimitPerMinute: 1000 });
    const other = await createIntegration(stack, { displayName: 'Other', apiKey: team.apiKey });

    const response = await listOnReplica(other.token);
    expect(response.status).toBe(401);
  });
});
