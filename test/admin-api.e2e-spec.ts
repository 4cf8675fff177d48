import { FakeTeam } from '@scimify/testing';
import { form, http, loginToConsole } from './support/admin-http';
import { scim, Stack, startStack } from './support/stack';
import { waitFor } from './support/eventually';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';

function userBody(email: string): Record<string, unknown> {
  return { schemas: [CORE], userName: email, emails: [{ primary: true, value: email, type: 'work' }], active: true };
}

describe('admin REST API', () => {
  let stack: Stack;
  let team: FakeTeam;
  let integrationId: string;
  let token: string;
  let userId: string;
  const email = 'ada.lovelace@example.test';

  beforeAll(async () => {
    stack = await startStack({ ADMIN_LOGIN_MAX_FAILURES: '1000', RECONCILE_ATTEMPTS: '2', RECONCILE_BACKOFF_MS: '20', SCIM_SYNC_WAIT_MS: '5000' });
    team = await stack.fake.createTeam({ name: 'Analytical Engines', plan: 'enterprise', rateLimitPerMinute: 1000 });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('creates an integration disabled, showing the key by its last four characters', async () => {
    const created = await stack.admin('POST', '/integrations', { displayName: 'Production Dropbox Sign Team', apiKey: team.apiKey, transferEmail: 'Archive@Example.test' });
    integrationId = created.body.id;

    expect(created.status).toBe(201);
    expect(created.body.enabled).toBe(false);
    expect(created.body.apiKeyLast4).toBe(team.apiKey.slice(-4));
    expect(created.body.transferEmail).toBe('archive@example.test');
    expect(JSON.stringify(created.body)).not.toContain(team.apiKey);
  });

  it('rejects invalid integration input naming the field', async () => {
    const shortKey = await stack.admin('POST', '/integrations', { displayName: 'x', apiKey: 'short' });
    const badEmail = await stack.admin('POST', '/integrations', { displayName: 'x', apiKey: 'long-enough-key', transferEmail: 'not-an-email' });
    const unknownField = await stack.admin('POST', '/integrations', { displayName: 'x', apiKey: 'long-enough-key', plan: 'free' });

    expect(shortKey.status).toBe(400);
    expect(JSON.stringify(shortKey.body)).toContain('apiKey');
    expect(badEmail.status).toBe(400);
    expect(JSON.stringify(badEmail.body)).toContain('transferEmail');
    expect(unknownField.status).toBe(400);
    expect(JSON.stringify(unknownField.body)).toContain('plan');
  });

  it('lists and shows integrations with their provisioning counts', async () => {
    const list = await stack.admin('GET', '/integrations');
    const one = await stack.admin('GET', `/integrations/${integrationId}`);
    const missing = await stack.admin('GET', '/integrations/00000000-0000-4000-8000-000000000000');

    expect(list.status).toBe(200);
    expect(list.body.integrations.map((integration: { id: string }) => integration.id)).toContain(integrationId);
    expect(one.body.provisioning).toEqual({ users: 0, pendingUsers: 0, failedUsers: 0 });
    expect(one.body.scimBaseUrl).toBe(`http://127.0.0.1:3000/scim/v2/${integrationId}`);
    expect(missing.status).toBe(404);
  });

  it('edits the display name and transfer email and audits the change', async () => {
    const patched = await stack.admin('PATCH', `/integrations/${integrationId}`, { displayName: 'Analytical Engines Team', transferEmail: null });
    const audit = await stack.admin('GET', `/integrations/${integrationId}/audit`);
    const update = audit.body.events.find((event: { action: string }) => event.action === 'integration_updated');

    expect(patched.status).toBe(200);
    expect(patched.body.displayName).toBe('Analytical Engines Team');
    expect(patched.body.transferEmail).toBeNull();
    expect(update.details.changed).toEqual(['displayName', 'transferEmail']);
    expect(update.actor).toBe('admin');
  });

  it('tests the connection through the worker and reports team, email and role', async () => {
    const result = await stack.admin('POST', `/integrations/${integrationId}/test-connection`);
    const after = await stack.admin('GET', `/integrations/${integrationId}`);

    expect(result.status).toBe(200);
    expect(result.body.ok).toBe(true);
    expect(result.body.teamName).toBe('Analytical Engines');
    expect(result.body.accountEmail).toBe(team.ownerEmail);
    expect(result.body.roleCode).toBe('a');
    expect(after.body.connectionTestOk).toBe(true);
    expect(after.body.teamName).toBe('Analytical Engines');
  });

  it('reports a rejected API key clearly and keeps it secret', async () => {
    const wrongKey = 'wrong-key-0123456789abcdef';
    await stack.admin('PATCH', `/integrations/${integrationId}`, { apiKey: wrongKey });
    const result = await stack.admin('POST', `/integrations/${integrationId}/test-connection`);
    await stack.admin('PATCH', `/integrations/${integrationId}`, { apiKey: team.apiKey });
    const restored = await stack.admin('POST', `/integrations/${integrationId}/test-connection`);

    expect(result.status).toBe(200);
    expect(result.body.ok).toBe(false);
    expect(result.body.message).toContain('401');
    expect(result.body.message).toContain('rejected the API key');
    expect(JSON.stringify(result.body)).not.toContain(wrongKey);
    expect(restored.body.ok).toBe(true);
  });

  it('enables and disables provisioning', async () => {
    const disabled = await stack.admin('POST', `/integrations/${integrationId}/disable`);
    const enabled = await stack.admin('POST', `/integrations/${integrationId}/enable`);

    expect(disabled.status).toBe(200);
    expect(disabled.body.enabled).toBe(false);
    expect(enabled.status).toBe(200);
    expect(enabled.body.enabled).toBe(true);
  });

  it('takes an empty JSON body as no body', async () => {
    // curl -X POST -H 'Content-Type: application/json' sends such a request.
    const response = await fetch(`${stack.gatewayUrl}/admin/api/integrations/${integrationId}/enable`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${stack.config.SCIMIFY_ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    });

    expect(response.status).toBe(200);
    expect(((await response.json()) as { enabled: boolean }).enabled).toBe(true);
  });

  it('keeps two tokens valid during a rotation, with creation and last-used times', async () => {
    const first = await http(stack, 'POST', `/admin/api/integrations/${integrationId}/tokens`, { headers: { Authorization: `Bearer ${stack.config.SCIMIFY_ADMIN_TOKEN}` } });
    const second = await stack.admin('POST', `/integrations/${integrationId}/tokens`);
    const base = `${stack.gatewayUrl}/scim/v2/${integrationId}`;
    const withFirst = await scim(base, first.json().token, 'GET', '/Users?count=1');
    const withSecond = await scim(base, second.body.token, 'GET', '/Users?count=1');
    const view = await stack.admin('GET', `/integrations/${integrationId}`);
    const third = await stack.admin('POST', `/integrations/${integrationId}/tokens`);
    const firstAfterRotation = await scim(base, first.json().token, 'GET', '/Users?count=1');
    token = third.body.token;

    expect(first.status).toBe(201);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.json().token).toMatch(/^scimify_/);
    expect(withFirst.status).toBe(200);
    expect(withSecond.status).toBe(200);
    expect(view.body.tokens).toHaveLength(2);
    expect(view.body.tokens.every((entry: { createdAt: string; lastUsedAt: string | null }) => entry.createdAt && entry.lastUsedAt)).toBe(true);
    expect(JSON.stringify(view.body)).not.toContain(first.json().token);
    expect(third.body.tokenId).toBeDefined();
    expect(firstAfterRotation.status).toBe(401);
  });

  it('revokes a token', async () => {
    const view = await stack.admin('GET', `/integrations/${integrationId}`);
    const older = view.body.tokens.find((entry: { id: string }) => entry.id !== view.body.tokens[view.body.tokens.length - 1].id);
    const revoked = await stack.admin('DELETE', `/integrations/${integrationId}/tokens/${older.id}`);
    const again = await stack.admin('DELETE', `/integrations/${integrationId}/tokens/${older.id}`);
    const after = await stack.admin('GET', `/integrations/${integrationId}`);

    expect(revoked.status).toBe(204);
    expect(again.status).toBe(404);
    expect(after.body.tokens).toHaveLength(1);
  });

  it('shows a user timeline from request to call', async () => {
    const created = await scim(`${stack.gatewayUrl}/scim/v2/${integrationId}`, token, 'POST', '/Users', userBody(email));
    userId = created.body.id;
    const timeline = await stack.admin('GET', `/users/${userId}/timeline`);
    const actions = timeline.body.events.map((event: { action: string }) => event.action);
    const call = timeline.body.events.find((event: { action: string }) => event.action === 'dropbox_sign.add_member');
    const request = timeline.body.events.find((event: { action: string }) => event.action === 'user_created');

    expect(created.status).toBe(201);
    expect(timeline.status).toBe(200);
    expect(timeline.body.user.userName).toBe(email);
    expect(actions.indexOf('user_created')).toBeLessThan(actions.indexOf('dropbox_sign.add_member'));
    expect(request.actor).toBe('idp');
    expect(request.requestId).toBeTruthy();
    expect(call.outcome).toBe('success');
    expect(call.jobId).toBe(`user-${userId}-g1`);
    expect(call.details.attempt).toBe(1);
    expect(timeline.body.jobs).toEqual([expect.objectContaining({ jobId: `user-${userId}-g1`, state: 'completed', attemptsMade: 1 })]);
  });

  it('answers 404 for the timeline of an unknown user', async () => {
    expect((await stack.admin('GET', '/users/00000000-0000-4000-8000-000000000000/timeline')).status).toBe(404);
    expect((await stack.admin('GET', '/users/not-a-uuid/timeline')).status).toBe(404);
  });

  it('retries a failed user and audits the retry', async () => {
    await stack.fake.addFault({ status: 500, method: 'PUT', path: '/team/add_member', count: -1 });
    const failing = await scim(`${stack.gatewayUrl}/scim/v2/${integrationId}`, token, 'POST', '/Users', userBody('grace.hopper@example.test'));
    const failedId = failing.body.id;
    const failed = await waitFor(() => stack.admin('GET', `/integrations/${integrationId}`), (view) => view.body.provisioning.failedUsers === 1);
    await stack.fake.clearFaults();

    const retried = await stack.admin('POST', `/integrations/${integrationId}/users/${failedId}/retry`);
    const recovered = await waitFor(() => stack.admin('GET', `/integrations/${integrationId}`), (view) => view.body.provisioning.failedUsers === 0);
    const audit = await stack.admin('GET', `/audit?user=${failedId}&action=user_reconcile_retried`);
    const unknown = await stack.admin('POST', `/integrations/${integrationId}/users/00000000-0000-4000-8000-000000000000/retry`);

    expect(failed.body.provisioning.failedUsers).toBe(1);
    expect(retried.status).toBe(202);
    expect(retried.body).toEqual({ userId: failedId, generation: 2, jobId: `user-${failedId}-g2` });
    expect(recovered.body.provisioning).toEqual({ users: 2, pendingUsers: 0, failedUsers: 0 });
    expect(audit.body.events).toHaveLength(1);
    expect(audit.body.events[0].actor).toBe('admin');
    expect(unknown.status).toBe(404);
  });

  it('filters the audit trail by integration, user, action, outcome and time', async () => {
    const byUser = await stack.admin('GET', `/audit?user=${encodeURIComponent(email.toUpperCase())}`);
    const byId = await stack.admin('GET', `/audit?user=${userId}`);
    const calls = await stack.admin('GET', `/audit?integrationId=${integrationId}&action=dropbox_sign.*&outcome=failure`);
    const future = await stack.admin('GET', `/audit?from=${new Date(Date.now() + 3600_000).toISOString()}`);
    const past = await stack.admin('GET', `/audit?integrationId=${integrationId}&to=2000-01-01T00:00`);
    const paged = await stack.admin('GET', `/audit?integrationId=${integrationId}&limit=2`);
    const next = await stack.admin('GET', `/audit?integrationId=${integrationId}&limit=2&before=${paged.body.nextBefore}`);

    expect(byUser.body.events.length).toBeGreaterThanOrEqual(2);
    expect(byUser.body.events.every((event: { userId: string }) => event.userId === userId)).toBe(true);
    expect(byId.body.events.map((event: { id: string }) => event.id)).toEqual(byUser.body.events.map((event: { id: string }) => event.id));
    expect(calls.body.events.length).toBeGreaterThan(0);
    expect(calls.body.events.every((event: { action: string; outcome: string }) => event.action.startsWith('dropbox_sign.') && event.outcome === 'failure')).toBe(true);
    expect(future.body.events).toEqual([]);
    expect(past.body.events).toEqual([]);
    expect(paged.body.events).toHaveLength(2);
    expect(Number(next.body.events[0].id)).toBeLessThan(Number(paged.body.events[1].id));
  });

  it('rejects invalid audit filters naming the value and the fix', async () => {
    const cases: Array<[string, string]> = [
      ['integrationId=abc', 'integrationId "abc"'],
      ['outcome=maybe', 'outcome "maybe" is invalid: use one of success, failure, info'],
      ['from=yesterday', 'from "yesterday" is not a time'],
      ['action=DROP TABLE', 'action "DROP TABLE" is invalid'],
      ['limit=0', 'limit "0" is invalid'],
    ];

    for (const [query, message] of cases) {
      const response = await stack.admin('GET', `/audit?${query}`);
      expect(response.status).toBe(400);
      expect(response.body.message).toContain(message);
    }
  });

  it('exports the filtered audit trail as CSV', async () => {
    const csv = await http(stack, 'GET', `/admin/api/audit.csv?integrationId=${integrationId}`, { headers: { Authorization: `Bearer ${stack.config.SCIMIFY_ADMIN_TOKEN}` } });
    const all = await stack.admin('GET', `/audit?integrationId=${integrationId}&limit=1000`);
    const lines = csv.text.trimEnd().split('\r\n');

    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="scimify-audit-.+\.csv"$/);
    expect(lines[0]).toBe('id,occurredAt,integrationId,userId,actor,action,outcome,requestId,jobId,details');
    expect(lines).toHaveLength(all.body.events.length + 1);
    expect(lines[1].startsWith(`${all.body.events[0].id},`)).toBe(true);
    expect(csv.text).toContain('"{""');
  });

  it('runs the console forms and shows their errors as pages', async () => {
    const session = await loginToConsole(stack);
    const post = (path: string, fields: Record<string, string> = {}) =>
      http(stack, 'POST', path, { ...form({ _csrf: session.csrfToken, ...fields }), headers: { ...form({}).headers, Cookie: session.cookie } });
    const page = (path: string) => http(stack, 'GET', path, { headers: { Cookie: session.cookie } });
    const view = await stack.admin('GET', `/integrations/${integrationId}`);
    const failedUser = (await stack.admin('GET', '/audit?action=user_reconcile_retried')).body.events[0].userId;

    const home = await page('/admin');
    const invalidCreate = await post('/admin/integrations', { displayName: 'Console', apiKey: 'short', transferEmail: '' });
    const invalidEdit = await post(`/admin/integrations/${integrationId}`, { displayName: 'Analytical Engines Team', apiKey: '', transferEmail: 'not-an-email' });
    const disabled = await post(`/admin/integrations/${integrationId}/disable`);
    const enabled = await post(`/admin/integrations/${integrationId}/enable`);
    const retried = await post(`/admin/integrations/${integrationId}/users/${failedUser}/retry`);
    const issued = await post(`/admin/integrations/${integrationId}/tokens`, { formKey: 'form-key-1' });
    const resubmitted = await post(`/admin/integrations/${integrationId}/tokens`, { formKey: 'form-key-1' });
    const revoked = await post(`/admin/integrations/${integrationId}/tokens/${view.body.tokens[0].id}/revoke`);
    const missing = await page('/admin/integrations/00000000-0000-4000-8000-000000000000');
    const badFilter = await page('/admin/audit?outcome=maybe');
    const after = await stack.admin('GET', `/integrations/${integrationId}`);

    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toBe('/admin/integrations');
    expect(invalidCreate.status).toBe(400);
    expect(invalidCreate.text).toContain('apiKey is invalid');
    expect(invalidCreate.text).toContain('value="Console"');
    expect(invalidEdit.status).toBe(400);
    expect(invalidEdit.text).toContain('transferEmail &quot;not-an-email&quot; is not an email address');
    expect(disabled.headers.get('location')).toBe(`/admin/integrations/${integrationId}?notice=disabled`);
    expect(enabled.headers.get('location')).toBe(`/admin/integrations/${integrationId}?notice=enabled`);
    expect(retried.headers.get('location')).toBe(`/admin/integrations/${integrationId}?notice=retried`);
    expect(issued.status).toBe(200);
    expect(issued.headers.get('cache-control')).toBe('no-store');
    expect(issued.text).toContain('id="scim-token">scimify_');
    expect(resubmitted.status).toBe(409);
    expect(resubmitted.text).toContain('no new token was issued');
    expect(resubmitted.text).not.toContain('id="scim-token"');
    expect(revoked.headers.get('location')).toBe(`/admin/integrations/${integrationId}?notice=revoked`);
    expect(after.body.enabled).toBe(true);
    expect(after.body.tokens.map((token: { id: string }) => token.id)).not.toContain(view.body.tokens[0].id);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('text/html');
    expect(missing.text).toContain('not found');
    expect(badFilter.status).toBe(400);
    expect(badFilter.text).toContain('outcome &quot;maybe&quot; is invalid');
  });

  it('refuses every admin action without valid credentials and changes nothing', async () => {
    const before = await stack.admin('GET', `/integrations/${integrationId}`);
    const auditBefore = await stack.admin('GET', '/audit?limit=1000');
    const tokenId = before.body.tokens[0].id;
    const jobId = `user-${userId}-g1`;
    const json = JSON.stringify({ displayName: 'Intruder', apiKey: 'intruder-key-123456' });
    const routes: Array<[string, string, string?]> = [
      ['GET', '/admin/api/integrations'],
      ['POST', '/admin/api/integrations', json],
      ['GET', `/admin/api/integrations/${integrationId}`],
      ['PATCH', `/admin/api/integrations/${integrationId}`, JSON.stringify({ displayName: 'Intruder' })],
      ['POST', `/admin/api/integrations/${integrationId}/enable`],
      ['POST', `/admin/api/integrations/${integrationId}/disable`],
      ['POST', `/admin/api/integrations/${integrationId}/tokens`],
      ['DELETE', `/admin/api/integrations/${integrationId}/tokens/${tokenId}`],
      ['POST', `/admin/api/integrations/${integrationId}/test-connection`],
      ['GET', `/admin/api/integrations/${integrationId}/audit`],
      ['POST', `/admin/api/integrations/${integrationId}/users/${userId}/retry`],
      ['GET', '/admin/api/audit'],
      ['GET', '/admin/api/audit.csv'],
      ['GET', `/admin/api/users/${userId}/timeline`],
      ['GET', '/admin'],
      ['GET', '/admin/integrations'],
      ['GET', '/admin/integrations/new'],
      ['POST', '/admin/integrations', 'displayName=Intruder&apiKey=intruder-key-123456'],
      ['GET', `/admin/integrations/${integrationId}`],
      ['POST', `/admin/integrations/${integrationId}`, 'displayName=Intruder'],
      ['POST', `/admin/integrations/${integrationId}/test-connection`],
      ['POST', `/admin/integrations/${integrationId}/enable`],
      ['POST', `/admin/integrations/${integrationId}/disable`],
      ['POST', `/admin/integrations/${integrationId}/tokens`],
      ['POST', `/admin/integrations/${integrationId}/tokens/${tokenId}/revoke`],
      ['POST', `/admin/integrations/${integrationId}/users/${userId}/retry`],
      ['GET', '/admin/audit'],
      ['GET', `/admin/audit/users/${userId}`],
      ['GET', '/admin/assets/console.js'],
      ['POST', '/admin/logout'],
      ['GET', '/admin/queues'],
      ['GET', '/admin/queues/api/queues'],
      ['PUT', `/admin/queues/api/queues/reconcile/${jobId}/retry`],
      ['PUT', '/admin/queues/api/queues/reconcile/pause'],
      ['GET', '/admin/no-such-page'],
      ['GET', '/%61dmin/api/integrations'],
    ];

    for (const [method, path, body] of routes) {
      const contentType = body?.startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded';
      const headers: Record<string, string> = body ? { 'Content-Type': contentType } : {};
      const anonymous = await http(stack, method, path, { headers, body });
      const wrongToken = await http(stack, method, path, { headers: { ...headers, Authorization: 'Bearer wrong-token-of-enough-length' }, body });

      expect([method, path, anonymous.status]).toEqual([method, path, 401]);
      expect([method, path, wrongToken.status]).toEqual([method, path, 401]);
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="scimify-admin"');
    }

    const browser = await http(stack, 'GET', '/admin/integrations', { headers: { Accept: 'text/html' } });
    const after = await stack.admin('GET', `/integrations/${integrationId}`);
    const auditAfter = await stack.admin('GET', '/audit?limit=1000');
    const queues = await http(stack, 'GET', '/admin/queues/api/queues', { headers: { Authorization: `Bearer ${stack.config.SCIMIFY_ADMIN_TOKEN}` } });

    expect(browser.status).toBe(303);
    expect(browser.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Fintegrations');
    expect(after.body).toEqual(before.body);
    expect((await stack.admin('GET', '/integrations')).body.integrations).toHaveLength(1);
    expect(auditAfter.body.events.map((event: { id: string }) => event.id)).toEqual(auditBefore.body.events.map((event: { id: string }) => event.id));
    expect(queues.status).toBe(200);
    expect(queues.json().queues.every((queue: { isPaused: boolean }) => !queue.isPaused)).toBe(true);
  });
});
