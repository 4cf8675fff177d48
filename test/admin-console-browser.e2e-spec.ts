import { FakeTeam } from '@scimify/testing';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { scim, Stack, startStack } from './support/stack';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '..', 'test-artifacts', 'admin-console');
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';

/**
 * The admin console in Debian's headless Chromium. The test logs in and creates an integration
 * against the fake Dropbox Sign. It tests the connection with the right and a wrong key, enables
 * the integration and copies the SCIM token. It then provisions a user with that token and finds
 * the user's timeline in the audit trail. Screenshots go to test-artifacts/admin-console, which
 * git ignores.
 */
describe('admin console in a browser', () => {
  let stack: Stack;
  let team: FakeTeam;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const outsideRequests: string[] = [];
  const email = 'ada.browser@example.test';

  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    stack = await startStack({ SCIM_SYNC_WAIT_MS: '5000' });
    team = await stack.fake.createTeam({ name: 'Browser Team', plan: 'enterprise', rateLimitPerMinute: 1000 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    context = await browser.newContext({ baseURL: stack.gatewayUrl });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.gatewayUrl });
    page = await context.newPage();
    page.setDefaultTimeout(15000);
    page.on('request', (request) => {
      if (!request.url().startsWith(stack.gatewayUrl)) outsideRequests.push(request.url());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('logs in with the admin token', async () => {
    await page.goto('/admin');
    expect(new URL(page.url()).pathname).toBe('/admin/login');

    await page.fill('#token', 'not-the-admin-token-000000');
    await page.click('button[type=submit]');
    await expect(page.locator('[role=alert]').textContent()).resolves.toContain('The admin token is not valid');

    await page.fill('#token', stack.config.SCIMIFY_ADMIN_TOKEN);
    await page.click('button[type=submit]');
    await page.waitForURL('**/admin/integrations');
    const cookies = await context.cookies();
    await shot('01-integrations-empty');

    expect(await page.locator('h1').textContent()).toBe('Integrations');
    expect(cookies.find((cookie) => cookie.name === 'scimify_admin_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/admin' });
  });

  it('creates an integration against the fake Dropbox Sign', async () => {
    await page.click('text=New integration');
    await page.fill('#displayName', 'Production Dropbox Sign Team');
    await page.fill('#apiKey', team.apiKey);
    await page.fill('#transferEmail', '');
    await shot('02-new-integration');
    await page.click('#create-button');
    await page.waitForURL(/\/admin\/integrations\/[0-9a-f-]{36}\?notice=created$/);

    expect(await page.locator('h1').textContent()).toBe('Production Dropbox Sign Team');
    expect(await page.locator('#connection').textContent()).toContain(`•••• ${team.apiKey.slice(-4)}`);
    expect(await page.content()).not.toContain(team.apiKey);
    expect(await page.locator('#settings').textContent()).toContain('Enterprise plan');
  });

  it('tests the connection successfully and with a wrong key', async () => {
    await page.click('#test-connection-button');
    const passed = await page.locator('#test-result').textContent();
    await shot('03-test-connection-passed');

    await page.fill('#apiKey', 'wrong-key-for-the-browser-test-0000');
    await page.click('#save-button');
    await page.waitForURL(/notice=saved$/);
    await page.click('#test-connection-button');
    const failed = await page.locator('#test-result').textContent();
    await shot('04-test-connection-failed');

    await page.fill('#apiKey', team.apiKey);
    await page.click('#save-button');
    await page.waitForURL(/notice=saved$/);
    await page.click('#test-connection-button');
    const restored = await page.locator('#test-result').textContent();

    expect(passed).toContain('Connection test passed.');
    expect(passed).toContain('Team: Browser Team');
    expect(passed).toContain(`Key owner: ${team.ownerEmail}, role: Admin.`);
    expect(failed).toContain('Connection test failed.');
    expect(failed).toContain('401 unauthorized');
    expect(failed).not.toContain('Team:');
    expect(restored).toContain('Connection test passed.');
  });

  it('enables provisioning and copies a new SCIM token', async () => {
    await page.click('#enable-button');
    await page.waitForURL(/notice=enabled$/);
    const state = await page.locator('#provisioning-state').textContent();

    await page.click('#issue-token-button');
    const token = (await page.locator('#scim-token').textContent())?.trim() ?? '';
    const baseUrl = (await page.locator('#scim-base-url-new').textContent())?.trim() ?? '';
    await page.click('[data-copy-target=scim-token]');
    // The callback runs in the browser, where `navigator` exists; Node's types do not describe its clipboard.
    const copied = await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText());
    await shot('05-token-issued');
    await page.reload();
    const afterReload = await page.content();
    const tokens = (await stack.admin('GET', `/integrations/${new URL(baseUrl).pathname.split('/').pop()}`)).body.tokens;

    expect(state).toBe('Enabled');
    expect(token).toMatch(/^scimify_/);
    expect(copied).toBe(token);
    expect(baseUrl).toMatch(/\/scim\/v2\/[0-9a-f-]{36}$/);
    expect(afterReload).not.toContain(token);
    expect(afterReload).toContain('no new token was issued');
    expect(tokens).toHaveLength(1);

    await page.click('text=Integrations');
    const row = await page.locator('tbody tr').first().textContent();
    await shot('06-integrations-list');
    expect(row).toContain('Production Dropbox Sign Team');
    expect(row).toContain('Enabled');
    expect(row).toContain('Passed');

    const scimBase = `${stack.gatewayUrl}${new URL(baseUrl).pathname}`;
    const created = await scim(scimBase, token, 'POST', '/Users', { schemas: [CORE], userName: email, emails: [{ primary: true, value: email }], active: true });
    expect(created.status).toBe(201);
    expect((await stack.fake.team(team.teamId)).invites.map((invite) => invite.email)).toContain(email);
  });

  it('finds the provisioned user and its timeline in the audit trail', async () => {
    await page.click('text=Audit trail');
    await page.fill('#user', email);
    await page.click('#filter-button');
    await page.waitForURL(/\/admin\/audit\?/);
    await shot('07-audit-filtered');
    await page.locator('a.timeline-link').first().click();
    await page.waitForURL(/\/admin\/audit\/users\/[0-9a-f-]{36}$/);
    const events = await page.locator('#timeline-events').textContent();
    const call = await page.locator('tr[data-action="dropbox_sign.add_member"]').textContent();
    await shot('08-user-timeline');

    expect(await page.locator('h1').textContent()).toBe(`Timeline of ${email}`);
    expect(events).toContain('Identity provider request');
    expect(events).toContain('user_created');
    expect(call).toContain('Dropbox Sign call');
    expect(call).toContain('success');
    expect(call).toContain('attempt 1');
  });

  it('opens Bull Board with both queues', async () => {
    await page.goto('/admin/queues');
    await page.getByText(/^\d+ Jobs?$/).nth(1).waitFor();
    await shot('09-bull-board');

    expect(await page.getByText(/^\d+ Jobs?$/).count()).toBe(2);
    expect(await page.getByText('maintenance').count()).toBeGreaterThan(0);
    expect(await page.getByText('reconcile').count()).toBeGreaterThan(0);
  });

  it('loaded nothing from outside the gateway', () => {
    expect(outsideRequests).toEqual([]);
  });
});
