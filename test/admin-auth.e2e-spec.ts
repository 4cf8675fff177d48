import Redis from 'ioredis';
import { form, http, loginToConsole } from './support/admin-http';
import { Stack, startStack } from './support/stack';

const MAX_FAILURES = 3;
const BLOCK_SECONDS = 60;

describe('admin authentication', () => {
  let stack: Stack;
  let redis: Redis;
  let addressCounter = 0;

  /** A client address of its own per test (the gateway trusts X-Forwarded-For), so that login limits do not leak between tests. */
  const freshAddress = (): Record<string, string> => ({ 'X-Forwarded-For': `198.51.100.${(addressCounter += 1)}` });

  beforeAll(async () => {
    stack = await startStack({ ADMIN_LOGIN_MAX_FAILURES: String(MAX_FAILURES), ADMIN_LOGIN_BLOCK_SECONDS: String(BLOCK_SECONDS) });
    redis = new Redis(stack.config.REDIS_URL);
  });

  afterAll(async () => {
    redis?.disconnect();
    await stack?.close();
  });

  it('serves the login page without credentials', async () => {
    const page = await http(stack, 'GET', '/admin/login');

    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('set-cookie')).toBeNull();
    expect(page.text).toContain('name="token"');
  });

  it('sets an HttpOnly SameSite=Strict session cookie on login', async () => {
    const login = await http(stack, 'POST', '/admin/login', { ...form({ token: stack.config.SCIMIFY_ADMIN_TOKEN, next: '/admin/audit' }), headers: { ...form({}).headers, ...freshAddress() } });
    const cookie = login.headers.get('set-cookie') ?? '';

    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/admin/audit');
    expect(cookie).toMatch(/^scimify_admin_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/admin');
    expect(cookie).toContain(`Max-Age=${stack.config.ADMIN_SESSION_TTL_SECONDS}`);
    expect(cookie).not.toContain('Secure');
    expect(cookie).not.toContain(stack.config.SCIMIFY_ADMIN_TOKEN);
  });

  it('marks the cookie Secure when the request came over TLS', async () => {
    const login = await http(stack, 'POST', '/admin/login', {
      ...form({ token: stack.config.SCIMIFY_ADMIN_TOKEN }),
      headers: { ...form({}).headers, ...freshAddress(), 'X-Forwarded-Proto': 'https' },
    });

    expect(login.status).toBe(303);
    expect(login.headers.get('set-cookie')).toContain('Secure');
  });

  it('refuses a wrong token with 401 and no cookie', async () => {
    const login = await http(stack, 'POST', '/admin/login', { ...form({ token: 'wrong-token-of-enough-length' }), headers: { ...form({}).headers, ...freshAddress() } });

    expect(login.status).toBe(401);
    expect(login.headers.get('set-cookie')).toBeNull();
    expect(login.text).toContain('The admin token is not valid');
  });

  it('blocks an address after repeated failed logins with 429 and Retry-After', async () => {
    const address = freshAddress();
    const attempt = (token: string) => http(stack, 'POST', '/admin/login', { ...form({ token }), headers: { ...form({}).headers, ...address } });

    for (let failure = 1; failure < MAX_FAILURES; failure += 1) expect((await attempt('wrong-token-of-enough-length')).status).toBe(401);
    const last = await attempt('wrong-token-of-enough-length');
    const blocked = await attempt(stack.config.SCIMIFY_ADMIN_TOKEN);
    const bearer = await http(stack, 'GET', '/admin/api/integrations', { headers: { ...address, Authorization: `Bearer ${stack.config.SCIMIFY_ADMIN_TOKEN}` } });
    const otherAddress = await http(stack, 'POST', '/admin/login', { ...form({ token: stack.config.SCIMIFY_ADMIN_TOKEN }), headers: { ...form({}).headers, ...freshAddress() } });

    expect(last.status).toBe(429);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(blocked.headers.get('retry-after'))).toBeLessThanOrEqual(BLOCK_SECONDS);
    expect(blocked.headers.get('set-cookie')).toBeNull();
    expect(bearer.status).toBe(429);
    expect(bearer.json().message).toContain('Too many failed admin logins');
    expect(otherAddress.status).toBe(303);
  });

  it('audits console logins and logouts with the client address', async () => {
    const address = freshAddress();
    await http(stack, 'POST', '/admin/login', { ...form({ token: 'wrong-token-of-enough-length' }), headers: { ...form({}).headers, ...address } });
    const session = await loginToConsole(stack);
    await http(stack, 'POST', '/admin/logout', { ...form({ _csrf: session.csrfToken }), headers: { ...form({}).headers, Cookie: session.cookie } });
    const audit = await stack.admin('GET', '/audit?action=admin_*&limit=1000');
    const failed = audit.body.events.find((event: { outcome: string; details: { address: string } }) => event.outcome === 'failure' && event.details.address === address['X-Forwarded-For']);

    expect(failed).toMatchObject({ actor: 'admin', action: 'admin_login', integrationId: null });
    expect(audit.body.events.some((event: { action: string; outcome: string }) => event.action === 'admin_login' && event.outcome === 'success')).toBe(true);
    expect(audit.body.events[0].action).toBe('admin_logout');
    expect(JSON.stringify(audit.body)).not.toContain(stack.config.SCIMIFY_ADMIN_TOKEN);
  });

  it('counts wrong bearer tokens towards the block', async () => {
    const address = freshAddress();
    const call = (token: string) => http(stack, 'GET', '/admin/api/integrations', { headers: { ...address, Authorization: `Bearer ${token}` } });

    for (let failure = 1; failure < MAX_FAILURES; failure += 1) expect((await call('wrong-token-of-enough-length')).status).toBe(401);

    expect((await call('wrong-token-of-enough-length')).status).toBe(429);
    expect((await call(stack.config.SCIMIFY_ADMIN_TOKEN)).status).toBe(429);
  });

  it('opens the API, the pages and Bull Board with the session cookie', async () => {
    const session = await loginToConsole(stack);
    const headers = { Cookie: session.cookie };

    expect((await http(stack, 'GET', '/admin/api/integrations', { headers })).status).toBe(200);
    expect((await http(stack, 'GET', '/admin/integrations', { headers })).status).toBe(200);
    expect((await http(stack, 'GET', '/admin/audit', { headers })).status).toBe(200);
    expect((await http(stack, 'GET', '/admin/queues', { headers })).status).toBe(200);
    expect((await http(stack, 'GET', '/admin/queues/api/queues', { headers })).status).toBe(200);
  });

  it('requires the CSRF token on state-changing requests of a session', async () => {
    const session = await loginToConsole(stack);
    const json = { 'Content-Type': 'application/json', Cookie: session.cookie };
    const body = JSON.stringify({ displayName: 'CSRF check', apiKey: 'csrf-check-key-1234' });

    const withoutToken = await http(stack, 'POST', '/admin/api/integrations', { headers: json, body });
    const wrongToken = await http(stack, 'POST', '/admin/api/integrations', { headers: { ...json, 'X-CSRF-Token': 'not-the-token' }, body });
    const withToken = await http(stack, 'POST', '/admin/api/integrations', { headers: { ...json, 'X-CSRF-Token': session.csrfToken }, body });
    const formWithout = await http(stack, 'POST', `/admin/integrations/${withToken.json().id}/enable`, { ...form({}), headers: { ...form({}).headers, Cookie: session.cookie } });
    const formWith = await http(stack, 'POST', `/admin/integrations/${withToken.json().id}/enable`, {
      ...form({ _csrf: session.csrfToken }),
      headers: { ...form({}).headers, Cookie: session.cookie },
    });

    expect(withoutToken.status).toBe(403);
    expect(withoutToken.json().message).toContain('CSRF token');
    expect(wrongToken.status).toBe(403);
    expect(withToken.status).toBe(201);
    expect(formWithout.status).toBe(403);
    expect(formWith.status).toBe(303);
    expect((await stack.admin('GET', `/integrations/${withToken.json().id}`)).body.enabled).toBe(true);
  });

  it('accepts Bull Board writes of a session from the same origin only', async () => {
    const session = await loginToConsole(stack);
    const origin = new URL(stack.gatewayUrl).origin;
    const path = '/admin/queues/api/queues/reconcile/retry/failed';

    const sameOrigin = await http(stack, 'PUT', path, { headers: { Cookie: session.cookie, Origin: origin } });
    const otherOrigin = await http(stack, 'PUT', path, { headers: { Cookie: session.cookie, Origin: 'https://attacker.example' } });
    const noOrigin = await http(stack, 'PUT', path, { headers: { Cookie: session.cookie } });

    expect(sameOrigin.status).toBe(200);
    expect(otherOrigin.status).toBe(403);
    expect(noOrigin.status).toBe(403);
  });

  it('ends the session on logout', async () => {
    const session = await loginToConsole(stack);
    const logout = await http(stack, 'POST', '/admin/logout', { ...form({ _csrf: session.csrfToken }), headers: { ...form({}).headers, Cookie: session.cookie } });
    const api = await http(stack, 'GET', '/admin/api/integrations', { headers: { Cookie: session.cookie } });
    const page = await http(stack, 'GET', '/admin/integrations', { headers: { Cookie: session.cookie, Accept: 'text/html' } });

    expect(logout.status).toBe(303);
    expect(logout.headers.get('location')).toBe('/admin/login');
    expect(logout.headers.get('set-cookie')).toContain('Max-Age=0');
    expect(api.status).toBe(401);
    expect(api.json().message).toContain('session expired or was ended');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Fintegrations');
  });

  it('refuses a forged session cookie', async () => {
    const response = await http(stack, 'GET', '/admin/api/integrations', { headers: { Cookie: `scimify_admin_session=${'A'.repeat(43)}` } });

    expect(response.status).toBe(401);
  });

  it('redirects after login only inside the console', async () => {
    for (const next of ['https://attacker.example/', '//attacker.example/admin', '/scim/v2', '/admin/../metrics']) {
      const login = await http(stack, 'POST', '/admin/login', { ...form({ token: stack.config.SCIMIFY_ADMIN_TOKEN, next }), headers: { ...form({}).headers, ...freshAddress() } });

      expect(login.headers.get('location')).toBe('/admin/integrations');
    }
  });

  it('stores a digest of the session id in Redis, not the id', async () => {
    const session = await loginToConsole(stack);
    const sessionId = session.cookie.split('=')[1];
    const keys = await redis.keys(`${stack.config.QUEUE_PREFIX}:admin-session:*`);
    const values = await Promise.all(keys.map((key) => redis.get(key)));

    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join('\n')).not.toContain(sessionId);
    expect(values.join('\n')).not.toContain(sessionId);
    expect(values.join('\n')).not.toContain(stack.config.SCIMIFY_ADMIN_TOKEN);
    expect(await redis.ttl(keys[0])).toBeGreaterThan(0);
  });
});
