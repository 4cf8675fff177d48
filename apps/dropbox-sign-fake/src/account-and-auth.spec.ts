import { FakeDropboxSignServer, startFakeDropboxSign } from './fake-server';
import { AccountBody, callApi, createAccount, createTeam, ErrorResult } from './fake-test-client';

describe('fake Dropbox Sign authentication and account', () => {
  let server: FakeDropboxSignServer;

  beforeAll(async () => {
    server = await startFakeDropboxSign();
  });

  afterAll(async () => {
    await server.close();
  });

  it('url listens on loopback without trailing slash', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('auth rejects a missing key with 401', async () => {
    const result: ErrorResult = await callApi(server.url, null, 'GET', '/account');

    expect(result.status).toBe(401);
    expect(result.body).toEqual({
      error: { error_msg: 'Unauthorized user. No credentials supplied.', error_name: 'unauthorized' },
    });
    expect(result.headers.get('x-ratelimit-limit')).toBeNull();
  });

  it('auth rejects an unknown key with 401', async () => {
    const result: ErrorResult = await callApi(server.url, 'not-a-key', 'GET', '/account');

    expect(result.status).toBe(401);
    expect(result.body.error.error_name).toBe('unauthorized');
    expect(result.body.error.error_msg).toMatch(/invalid/);
  });

  it('auth rejects a bearer token with 401', async () => {
    const team = await createTeam(server.url);
    const result: ErrorResult = await callApi(server.url, null, 'GET', '/account', {
      authorization: `Bearer ${team.apiKey}`,
    });

    expect(result.status).toBe(401);
  });

  it('auth checks the key before routing', async () => {
    const result: ErrorResult = await callApi(server.url, null, 'GET', '/no/such/route');

    expect(result.status).toBe(401);
  });

  it('account returns the key owner', async () => {
    const team = await createTeam(server.url, { ownerEmail: 'owner@account.test' });
    const result = await callApi<AccountBody>(server.url, team.apiKey, 'GET', '/account');

    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toBe('application/json');
    expect(result.body.account).toEqual({
      account_id: team.ownerAccountId,
      email_address: 'owner@account.test',
      is_locked: false,
      is_paid_hs: true,
      is_paid_hf: false,
      quotas: {
        api_signature_requests_left: 1250,
        documents_left: null,
        templates_total: null,
        templates_left: null,
        sms_verifications_left: null,
        num_fax_pages_left: null,
      },
      callback_url: null,
      role_code: 'a',
      team_id: team.teamId,
      locale: 'en-US',
      usage: { fax_pages_sent: 0 },
      settings: { signer_access_codes: false, sms_delivery: false, sms_authentication: false },
    });
    expect(team.ownerAccountId).toMatch(/^[0-9a-f]{40}$/);
    expect(team.teamId).toMatch(/^[0-9a-f]{40}$/);
  });

  it('account finds another account by email case-insensitively', async () => {
    const team = await createTeam(server.url);
    const other = await createAccount(server.url, { email: 'Lookup@Account.test' });
    const result = await callApi<AccountBody>(server.url, team.apiKey, 'GET', '/account', {
      query: { email_address: 'lookup@account.TEST' },
    });

    expect(result.status).toBe(200);
    expect(result.body.account.account_id).toBe(other.accountId);
    expect(result.body.account.team_id).toBeNull();
    expect(result.body.account.role_code).toBeNull();
    expect(result.body.account.is_paid_hs).toBe(false);
  });

  it('account_id wins over email_address', async () => {
    const team = await createTeam(server.url);
    const other = await createAccount(server.url, { email: 'by-id@account.test' });
    const result = await callApi<AccountBody>(server.url, team.apiKey, 'GET', '/account', {
      query: { account_id: other.accountId, email_address: 'nobody@account.test' },
    });

    expect(result.status).toBe(200);
    expect(result.body.account.email_address).toBe('by-id@account.test');
  });

  it('account returns 404 for an unknown email', async () => {
    const team = await createTeam(server.url);
    const result: ErrorResult = await callApi(server.url, team.apiKey, 'GET', '/account', {
      query: { email_address: 'missing@account.test' },
    });

    expect(result.status).toBe(404);
    expect(result.body.error.error_name).toBe('not_found');
  });

  it('unknown route returns 404 not_found', async () => {
    const team = await createTeam(server.url);
    const result: ErrorResult = await callApi(server.url, team.apiKey, 'GET', '/team/nothing_here');

    expect(result.status).toBe(404);
    expect(result.body.error.error_name).toBe('not_found');
  });

  it('wrong method returns 405 method_not_supported', async () => {
    const team = await createTeam(server.url);
    const result: ErrorResult = await callApi(server.url, team.apiKey, 'POST', '/team/add_member', {
      json: { email_address: 'someone@account.test' },
    });

    expect(result.status).toBe(405);
    expect(result.body.error.error_name).toBe('method_not_supported');
    expect(result.body.error.error_msg).toContain('PUT');
  });

  it('invalid JSON body returns 400 bad_request', async () => {
    const team = await createTeam(server.url);
    const response = await fetch(`${server.url}/v3/team/add_member`, {
      method: 'PUT',
      headers: {
        Authorization: `Basic ${Buffer.from(`${team.apiKey}:`).toString('base64')}`,
        'Content-Type': 'application/json',
      },
      body: '{"email_address":',
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { error_msg: 'The request body is not valid JSON.', error_name: 'bad_request' },
    });
  });

  it('path outside /v3 returns 404', async () => {
    const response = await fetch(`${server.url}/v2/account`);

    expect(response.status).toBe(404);
  });
});
