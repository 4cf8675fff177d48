import { setLogDestination } from '@scimify/config';
import { FakeTeam } from '@scimify/testing';
import Redis from 'ioredis';
import { form, http, HttpResult, loginToConsole } from './support/admin-http';
import { scim, Stack, startStack } from './support/stack';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';

function userBody(email: string, active = true): Record<string, unknown> {
  return { schemas: [CORE], userName: email, emails: [{ primary: true, value: email, type: 'work' }], active, password: 'Okta-Random-Password-1!' };
}

/** Dumps every value of every key under a prefix as text. */
async function dumpRedis(redis: Redis, prefix: string): Promise<string> {
  const keys = await redis.keys(`${prefix}:*`);
  const parts: string[] = [];

  for (const key of keys) {
    const type = await redis.type(key);
    if (type === 'string') parts.push(key, String(await redis.get(key)));
    if (type === 'hash') parts.push(key, JSON.stringify(await redis.hgetall(key)));
    if (type === 'list') parts.push(key, JSON.stringify(await redis.lrange(key, 0, -1)));
    if (type === 'set') parts.push(key, JSON.stringify(await redis.smembers(key)));
    if (type === 'zset') parts.push(key, JSON.stringify(await redis.zrange(key, 0, -1)));
    if (type === 'stream') parts.push(key, JSON.stringify(await redis.xrange(key, '-', '+')));
  }

  return parts.join('\n');
}

describe('secrets stay out of responses, logs, jobs and the audit trail', () => {
  let stack: Stack;
  let team: FakeTeam;
  const logLines: string[] = [];
  const responses: Array<{ label: string; text: string; allowed: string[] }> = [];
  const wrongApiKey = 'wrong-api-key-5f4dcc3b5aa765d61d8327deb882cf99';
  const wrongScimToken = 'scimify_wrong-token-that-is-long-enough-0000';
  const password = 'Okta-Random-Password-1!';
  const scimTokens: string[] = [];
  let sessionId = '';

  /** Keeps a response to search later; `allowed` lists the secrets it is meant to show (a token shown once). */
  function keep(label: string, response: HttpResult, allowed: string[] = []): HttpResult {
    responses.push({ label, text: `${JSON.stringify([...response.headers.entries()])}\n${response.text}`, allowed });
    return response;
  }

  const bearer = () => ({ Authorization: `Bearer ${stack.config.SCIMIFY_ADMIN_TOKEN}` });
  const json = () => ({ ...bearer(), 'Content-Type': 'application/json' });

  beforeAll(async () => {
    setLogDestination({ write: (line: string) => void logLines.push(line) });
    stack = await startStack({ LOG_LEVEL: 'trace', SCIM_SYNC_WAIT_MS: '2000', RECONCILE_ATTEMPTS: '2', RECONCILE_BACKOFF_MS: '20' });
    team = await stack.fake.createTeam({ name: 'Secret Keepers', plan: 'enterprise', rateLimitPerMinute: 1000 });
  });

  afterAll(async () => {
    setLogDestination(null);
    await stack?.close();
  });

  it('runs every admin and SCIM path that handles a secret', async () => {
    const session = await loginToConsole(stack);
    sessionId = session.cookie.split('=')[1];
    keep('wrong login', await http(stack, 'POST', '/admin/login', form({ token: `${stack.config.SCIMIFY_ADMIN_TOKEN}x` })));

    const created = keep(
      'console create',
      await http(stack, 'POST', '/admin/integrations', { ...form({ _csrf: session.csrfToken, displayName: 'Secret Keepers', apiKey: team.apiKey, transferEmail: '' }), headers: { ...form({}).headers, Cookie: session.cookie } }),
    );
    const integrationId = /\/admin\/integrations\/([0-9a-f-]{36})/.exec(created.headers.get('location') ?? '')![1];
    keep('console page', await http(stack, 'GET', `/admin/integrations/${integrationId}`, { headers: { Cookie: session.cookie } }));
    keep('test ok', await http(stack, 'POST', `/admin/api/integrations/${integrationId}/test-connection`, { headers: bearer() }));
    keep('patch wrong key', await http(stack, 'PATCH', `/admin/api/integrations/${integrationId}`, { headers: json(), body: JSON.stringify({ apiKey: wrongApiKey }) }));
    keep('test 401', await http(stack, 'POST', `/admin/integrations/${integrationId}/test-connection`, { ...form({ _csrf: session.csrfToken }), headers: { ...form({}).headers, Cookie: session.cookie } }));
    keep('enable', await http(stack, 'POST', `/admin/api/integrations/${integrationId}/enable`, { headers: bearer() }));

    const issued = await http(stack, 'POST', `/admin/api/integrations/${integrationId}/tokens`, { headers: bearer() });
    scimTokens.push(issued.json().token);
    keep('issue token', issued, [issued.json().token]);
    const base = `${stack.gatewayUrl}/scim/v2/${integrationId}`;
    keep('scim with 401 key', await scimResult(base, scimTokens[0], 'POST', '/Users', userBody('first.user@example.test')));

    keep('patch good key', await http(stack, 'PATCH', `/admin/api/integrations/${integrationId}`, { headers: json(), body: JSON.stringify({ apiKey: team.apiKey }) }));
    const page = await http(stack, 'POST', `/admin/integrations/${integrationId}/tokens`, { ...form({ _csrf: session.csrfToken }), headers: { ...form({}).headers, Cookie: session.cookie } });
    const shown = /id="scim-token">([^<]+)</.exec(page.text)![1];
    scimTokens.push(shown);
    keep('console token', page, [shown]);

    const user = await scimResult(base, shown, 'POST', '/Users', userBody('second.user@example.test'));
    keep('scim create', user);
    keep('scim wrong token', await scimResult(base, wrongScimToken, 'GET', '/Users'));
    keep('scim deactivate', await scimResult(base, shown, 'PATCH', `/Users/${user.json().id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] }));
    keep('audit', await http(stack, 'GET', '/admin/api/audit?limit=1000', { headers: bearer() }));
    keep('audit csv', await http(stack, 'GET', '/admin/api/audit.csv', { headers: bearer() }));
    keep('timeline', await http(stack, 'GET', `/admin/audit/users/${user.json().id}`, { headers: { Cookie: session.cookie } }));
    keep('list', await http(stack, 'GET', '/admin/api/integrations', { headers: bearer() }));
    keep('bull board', await http(stack, 'GET', '/admin/queues/api/queues?activeQueue=reconcile&status=completed', { headers: bearer() }));
    keep('metrics', await http(stack, 'GET', '/metrics'));
    keep('logout', await http(stack, 'POST', '/admin/logout', { ...form({ _csrf: session.csrfToken }), headers: { ...form({}).headers, Cookie: session.cookie } }));

    expect(created.status).toBe(303);
    expect(user.status).toBe(201);
  });

  function secrets(): Array<[string, string]> {
    return [
      ['admin token', stack.config.SCIMIFY_ADMIN_TOKEN],
      ['encryption key', stack.config.SCIMIFY_ENCRYPTION_KEY],
      ['API key', team.apiKey],
      ['wrong API key', wrongApiKey],
      ['wrong SCIM token', wrongScimToken],
      ['session id', sessionId],
      ['IdP password', password],
      ...scimTokens.map((token, index): [string, string] => [`SCIM token ${index + 1}`, token]),
    ];
  }

  it('shows no secret in a response, except a new token once', () => {
    for (const response of responses) {
      for (const [name, secret] of secrets()) {
        if (response.allowed.includes(secret)) continue;
        expect([response.label, name, response.text.includes(secret)]).toEqual([response.label, name, false]);
      }
    }
  });

  it('logs no secret', () => {
    const log = logLines.join('');

    expect(logLines.length).toBeGreaterThan(20);
    expect(log).toContain('"msg":"request completed"');
    expect(log).toContain('"service":"gateway"');
    expect(log).toContain('"service":"worker"');
    for (const [name, secret] of secrets()) expect([name, log.includes(secret)]).toEqual([name, false]);
  });

  it('keeps no secret in Redis: jobs, sessions, limiter, heartbeats', async () => {
    const redis = new Redis(stack.config.REDIS_URL);
    const dump = await dumpRedis(redis, stack.config.QUEUE_PREFIX);
    redis.disconnect();

    expect(dump).toContain('reconcile-user');
    for (const [name, secret] of secrets()) expect([name, dump.includes(secret)]).toEqual([name, false]);
  });

  it('keeps no secret in the database outside its encrypted or hashed column', async () => {
    const { rows: tables } = await stack.db.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`);
    let dump = '';
    for (const { table_name: table } of tables) dump += JSON.stringify((await stack.db.query(`SELECT * FROM "${table}"`)).rows);

    expect(dump).toContain('user_created');
    for (const [name, secret] of secrets()) expect([name, dump.includes(secret)]).toEqual([name, false]);
  });

  it('writes the job id, integration id and attempt on every job log line', () => {
    const jobLines = logLines.map((line) => JSON.parse(line)).filter((entry) => entry.jobName === 'reconcile-user');

    expect(jobLines.length).toBeGreaterThan(2);
    for (const entry of jobLines) {
      expect(entry.jobId).toMatch(/^user-/);
      expect(entry.integrationId).toMatch(/^[0-9a-f-]{36}$/);
      expect(entry.attempt).toBeGreaterThanOrEqual(1);
    }
  });

  async function scimResult(base: string, token: string, method: string, path: string, body?: unknown): Promise<HttpResult> {
    const response = await scim(base, token, method, path, body);
    const text = JSON.stringify(response.body);
    return { status: response.status, headers: response.headers, text, json: () => response.body };
  }
});
