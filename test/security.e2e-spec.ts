import { createIntegration, scim, Stack, startStack } from './support/stack';

describe('authentication hardening', () => {
  let stack: Stack;
  let integration: { id: string; token: string; scimBaseUrl: string };

  beforeAll(async () => {
    stack = await startStack({ SCIM_AUTH_MAX_FAILURES: '3', SCIM_AUTH_BLOCK_SECONDS: '60' });
    const team = await stack.fake.createTeam();
    integration = await createIntegration(stack, { displayName: 'Security', apiKey: team.apiKey });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('sets security headers on SCIM, admin and health responses', async () => {
    const responses = [
      await fetch(`${integration.scimBaseUrl}/Users`, { headers: { Authorization: `Bearer ${integration.token}` } }),
      await fetch(`${stack.gatewayUrl}/admin/api/integrations`, { headers: { Authorization: `Bearer ${stack.config.SCIMIFY_ADMIN_TOKEN}` } }),
      await fetch(`${stack.gatewayUrl}/health/live`),
      await fetch(`${integration.scimBaseUrl}/Users`),
    ];

    for (const response of responses) {
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('strict-transport-security')).toContain('max-age=');
    }
  });

  it('throttles repeated wrong SCIM tokens from one address', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1) {
      statuses.push((await scim(integration.scimBaseUrl, `wrong-${attempt}`, 'GET', '/Users')).status);
    }
    const blocked = await scim(integration.scimBaseUrl, integration.token, 'GET', '/Users');

    // The token-less request of the previous test counted as the first of the three failures.
    expect(statuses).toEqual([401, 401, 429, 429]);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.body.detail).toContain('invalid bearer token');
  });
});
