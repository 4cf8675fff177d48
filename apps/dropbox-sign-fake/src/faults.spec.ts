import { FakeDropboxSignServer, startFakeDropboxSign } from './fake-server';
import { callApi, callControl, createTeam, ErrorResult } from './fake-test-client';
import { LoggedRequest } from './request-log';

describe('fake Dropbox Sign faults', () => {
  let server: FakeDropboxSignServer;

  beforeAll(async () => {
    server = await startFakeDropboxSign();
  });

  afterAll(async () => {
    await server.close();
  });

  afterEach(async () => {
    await callControl(server.url, 'DELETE', '/faults');
  });

  async function addFault(fault: Record<string, unknown>): Promise<void> {
    const result = await callControl<{ id: string }>(server.url, 'POST', '/faults', fault);
    expect(result.status).toBe(201);
    expect(typeof result.body.id).toBe('string');
  }

  it('fault answers with its status and default error name', async () => {
    const team = await createTeam(server.url);
    await addFault({ status: 503 });

    const faulted: ErrorResult = await callApi(server.url, team.apiKey, 'GET', '/team');
    const next = await callApi(server.url, team.apiKey, 'GET', '/team');

    expect(faulted.status).toBe(503);
    expect(faulted.body.error.error_name).toBe('unavailable');
    expect(faulted.headers.get('X-RateLimit-Limit')).toBe('100');
    expect(next.status).toBe(200);
  });

  it('fault uses the given error name and message', async () => {
    const team = await createTeam(server.url);
    await addFault({ status: 500, errorName: 'unknown', errorMsg: 'Something broke.' });

    const result: ErrorResult = await callApi(server.url, team.apiKey, 'GET', '/team');

    expect(result.status).toBe(500);
    expect(result.body).toEqual({ error: { error_msg: 'Something broke.', error_name: 'unknown' } });
  });

  it('fault 429 reports no remaining allowance and uses none', async () => {
    const team = await createTeam(server.url, { rateLimitPerMinute: 5 });
    await addFault({ status: 429 });

    const faulted: ErrorResult = await callApi(server.url, team.apiKey, 'GET', '/team');
    const next = await callApi(server.url, team.apiKey, 'GET', '/team');

    expect(faulted.status).toBe(429);
    expect(faulted.body.error.error_name).toBe('exceeded_rate');
    expect(faulted.headers.get('X-RateLimit-Remaining')).toBe('0');
    expect(faulted.headers.get('Retry-After')).toBeNull();
    expect(next.headers.get('X-RateLimit-Remaining')).toBe('4');
  });

  it('fault count limits how many requests fail', async () => {
    const team = await createTeam(server.url);
    await addFault({ status: 500, count: 2 });

    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      statuses.push((await callApi(server.url, team.apiKey, 'GET', '/team')).status);
    }

    expect(statuses).toEqual([500, 500, 200]);
  });

  it('fault count -1 lasts until cleared', async () => {
    const team = await createTeam(server.url);
    await addFault({ status: 502, count: -1 });

    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      statuses.push((await callApi(server.url, team.apiKey, 'GET', '/team')).status);
    }
    const cleared = await callControl(server.url, 'DELETE', '/faults');
    const after = await callApi(server.url, team.apiKey, 'GET', '/team');

    expect(statuses).toEqual([502, 502, 502, 502]);
    expect(cleared.status).toBe(204);
    expect(after.status).toBe(200);
  });

  it('fault matches method and path prefix', async () => {
    const team = await createTeam(server.url);
    await addFault({ status: 500, method: 'put', path: '/team/add' });

    const get = await callApi(server.url, team.apiKey, 'GET', '/team');
    const put = await callApi(server.url, team.apiKey, 'PUT', '/team/add_member', {
      json: { email_address: 'a@fault.test' },
    });

    expect(get.status).toBe(200);
    expect(put.status).toBe(500);
  });

  it('fault path may include /v3', async () => {
    const team = await createTeam(server.url);
    await addFault({ status: 500, path: '/v3/account' });

    const teamResult = await callApi(server.url, team.apiKey, 'GET', '/team');
    const account = await callApi(server.url, team.apiKey, 'GET', '/account');

    expect(teamResult.status).toBe(200);
    expect(account.status).toBe(500);
  });

  it('fault applies before authentication', async () => {
    await addFault({ status: 503 });

    const result = await callApi(server.url, null, 'GET', '/team');

    expect(result.status).toBe(503);
    expect(result.headers.get('X-RateLimit-Limit')).toBeNull();
  });

  it('latency fault delays the normal response', async () => {
    const team = await createTeam(server.url);
    await addFault({ status: 0, latencyMs: 300 });

    const started = Date.now();
    const result = await callApi(server.url, team.apiKey, 'GET', '/team');
    const elapsed = Date.now() - started;

    expect(result.status).toBe(200);
    expect(elapsed).toBeGreaterThanOrEqual(290);
  });

  it('latency with a status delays the error', async () => {
    const team = await createTeam(server.url);
    await addFault({ status: 500, latencyMs: 200 });

    const started = Date.now();
    const result = await callApi(server.url, team.apiKey, 'GET', '/team');

    expect(result.status).toBe(500);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('dropConnection closes the socket without an answer', async () => {
    const team = await createTeam(server.url);
    await addFault({ status: 0, dropConnection: true });

    await expect(callApi(server.url, team.apiKey, 'GET', '/team')).rejects.toThrow('fetch failed');
    const next = await callApi(server.url, team.apiKey, 'GET', '/team');
    expect(next.status).toBe(200);
  });

  it('faulted requests are logged', async () => {
    const team = await createTeam(server.url);
    await addFault({ status: 504 });
    await addFault({ status: 0, dropConnection: true });
    await callApi(server.url, team.apiKey, 'GET', '/team');
    await callApi(server.url, team.apiKey, 'GET', '/account').catch(() => undefined);

    const log = await callControl<{ requests: LoggedRequest[] }>(server.url, 'GET', `/requests?teamId=${team.teamId}`);

    expect(log.body.requests.map((entry) => [entry.path, entry.status])).toEqual([
      ['/v3/team', 504],
      ['/v3/account', 0],
    ]);
  });

  it.each([
    [{ status: 200 }, 'status'],
    [{ status: 0 }, 'status'],
    [{ status: 500, count: 0 }, 'count'],
    [{ status: 500, latencyMs: -5 }, 'latencyMs'],
    [{ status: 500, dropConnection: 'yes' }, 'dropConnection'],
    [{ errorName: 'unknown' }, 'status'],
  ])('fault input %j is rejected', async (fault, errorPath) => {
    const result: ErrorResult = await callControl(server.url, 'POST', '/faults', fault);

    expect(result.status).toBe(400);
    expect(result.body.error.error_path).toBe(errorPath);
  });

  it('close ends requests held by a latency fault', async () => {
    const ownServer = await startFakeDropboxSign();
    const team = await createTeam(ownServer.url);
    await callControl(ownServer.url, 'POST', '/faults', { status: 0, latencyMs: 60_000 });
    const pending = callApi(ownServer.url, team.apiKey, 'GET', '/team');
    await new Promise((resolve) => setTimeout(resolve, 50));

    const started = Date.now();
    await ownServer.close();

    await expect(pending).rejects.toThrow('fetch failed');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
