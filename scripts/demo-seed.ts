/**
 * Seeds a fake Dropbox Sign team and an enabled integration with a SCIM token, through the fake's
 * control API and the admin API. Used by `npm run demo` and by the compose `demo` profile, where
 * it runs on its own with GATEWAY_URL, FAKE_DROPBOX_SIGN_URL and SCIMIFY_ADMIN_TOKEN set.
 */
export interface DemoTargets {
  gatewayUrl: string;
  fakeUrl: string;
  adminToken: string;
}

export interface SeededDemo {
  scimBaseUrl: string;
  token: string;
  teamId: string;
}

export async function seedDemo(targets: DemoTargets): Promise<SeededDemo> {
  const team = await json<{ teamId: string; apiKey: string }>('POST', `${targets.fakeUrl}/_fake/teams`, { name: 'Demo Team', plan: 'enterprise', rateLimitPerMinute: 100 });
  await json('POST', `${targets.fakeUrl}/_fake/accounts`, { email: 'documents@example.test', teamId: team.teamId });

  const admin = <T>(method: string, path: string, body?: unknown) =>
    json<T>(method, `${targets.gatewayUrl}/admin/api${path}`, body, { Authorization: `Bearer ${targets.adminToken}` });
  const integration = await admin<{ id: string }>('POST', '/integrations', { displayName: 'Demo Dropbox Sign Team', apiKey: team.apiKey, transferEmail: 'documents@example.test' });
  await admin('POST', `/integrations/${integration.id}/enable`);
  const issued = await admin<{ token: string; scimBaseUrl: string }>('POST', `/integrations/${integration.id}/tokens`);

  return { scimBaseUrl: issued.scimBaseUrl, token: issued.token, teamId: team.teamId };
}

async function json<T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${url} failed with HTTP ${response.status}: ${await response.text()}`);

  return (await response.json()) as T;
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fetch(url).then((response) => response.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} did not respond within ${timeoutMs} ms`);
}

if (require.main === module) {
  const targets = {
    gatewayUrl: process.env.GATEWAY_URL ?? 'http://gateway:3000',
    fakeUrl: process.env.FAKE_DROPBOX_SIGN_URL ?? 'http://fake:3010',
    adminToken: process.env.SCIMIFY_ADMIN_TOKEN ?? '',
  };
  const publicFakeUrl = process.env.PUBLIC_FAKE_DROPBOX_SIGN_URL ?? targets.fakeUrl;

  waitFor(`${targets.gatewayUrl}/health/ready`, 60_000)
    .then(() => seedDemo(targets))
    .then((seeded) => {
      process.stdout.write(`SCIM base URL: ${seeded.scimBaseUrl}\nSCIM token: ${seeded.token}\nFake Dropbox Sign URL: ${publicFakeUrl}\n`);
    })
    .catch((error: unknown) => {
      process.stderr.write(`Demo seeding failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
}
