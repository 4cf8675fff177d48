import { FakeDropboxSignServer, startFakeDropboxSign } from './fake-server';
import { callApi, callControl, createTeam, ErrorResult } from './fake-test-client';

describe('fake Dropbox Sign rate limit', () => {
  let server: FakeDropboxSignServer;

  beforeAll(async () => {
    server = await startFakeDropboxSign();
  });

  afterAll(async () => {
    await server.close();
  });

  it('rate limit headers default to 100 per minute', async () => {
    const team = await createTeam(server.url);
    const before = Math.floor(Date.now() / 1000);
    const result = await callApi(server.url, team.apiKey, 'GET', '/team');

    expect(result.headers.get('X-RateLimit-Limit')).toBe('100');
    expect(result.headers.get('X-RateLimit-Remaining')).toBe('99');
    const reset = Number(result.headers.get('X-Ratelimit-Reset'));
    expect(reset).toBeGreaterThanOrEqual(before + 59);
    expect(reset).toBeLessThanOrEqual(before + 61);
  });

  it('rate limit headers are sent on errors too', async () => {
    const team = await createTeam(server.url);
    const result = await callApi(server.url, team.apiKey, 'GET', '/account', { query: { account_id: 'missing' } });

    expect(result.status).toBe(404);
    expect(result.headers.get('X-RateLimit-Remaining')).toBe('99');
  });

  it('rate limit rejects with 429 past the limit', async () => {
    const team = await createTeam(server.url, { rateLimitPerMinute: 2 });
    const first = await callApi(server.url, team.apiKey, 'GET', '/team');
    const second = await callApi(server.url, team.apiKey, 'GET', '/team');
    const third: ErrorResult = await callApi(server.url, team.apiKey, 'GET', '/team');

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.headers.get('X-RateLimit-Remaining')).toBe('0');
    expect(third.status).toBe(429);
    expect(third.body).toEqual({ error: { error_msg: 'Too many requests.', error_name: 'exceeded_rate' } });
    expect(third.headers.get('X-RateLimit-Limit')).toBe('2');
    expect(third.headers.get('X-RateLimit-Remaining')).toBe('0');
    expect(third.headers.get('X-Ratelimit-Reset')).toBe(second.headers.get('X-Ratelimit-Reset'));
    expect(third.headers.get('Retry-After')).toBeNull();
  });

  it('rate limit is counted per team', async () => {
    const team = await createTeam(server.url, { rateLimitPerMinute: 1 });
    const otherTeam = await createTeam(server.url, { rateLimitPerMinute: 1 });
    await callApi(server.url, team.apiKey, 'GET', '/team');

    const other = await callApi(server.url, otherTeam.apiKey, 'GET', '/team');
    const again = await callApi(server.url, team.apiKey, 'GET', '/team');

    expect(other.status).toBe(200);
    expect(again.status).toBe(429);
  });

  it('rate limit does not count 401 responses', async () => {
    const team = await createTeam(server.url, { rateLimitPerMinute: 1 });
    await callApi(server.url, 'wrong-key', 'GET', '/team');

    const result = await callApi(server.url, team.apiKey, 'GET', '/team');

    expect(result.status).toBe(200);
  });

  it('rate limit follows a patched limit', async () => {
    const team = await createTeam(server.url, { rateLimitPerMinute: 1 });
    await callApi(server.url, team.apiKey, 'GET', '/team');
    const rejected = await callApi(server.url, team.apiKey, 'GET', '/team');
    const patched = await callControl(server.url, 'PATCH', `/teams/${team.teamId}`, { rateLimitPerMinute: 3 });

    const result = await callApi(server.url, team.apiKey, 'GET', '/team');

    expect(rejected.status).toBe(429);
    expect(patched.status).toBe(200);
    expect(patched.body.rateLimitPerMinute).toBe(3);
    expect(result.status).toBe(200);
    expect(result.headers.get('X-RateLimit-Limit')).toBe('3');
    expect(result.headers.get('X-RateLimit-Remaining')).toBe('1');
  });
});
