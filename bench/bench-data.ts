/**
 * Data of the gateway benchmark: a fake Dropbox Sign team, an integration with its SCIM token,
 * and users stored through the SCIM API the way Okta creates them.
 */
import { Client } from 'pg';

export interface BenchIntegration {
  id: string;
  token: string;
  scimBaseUrl: string;
}

export interface StoredUser {
  id: string;
  userName: string;
}

export const SCIM_HEADERS = { 'Content-Type': 'application/scim+json; charset=utf-8', Accept: 'application/scim+json' };

const CORE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const CUSTOM_SCHEMA = 'urn:ietf:params:scim:schemas:extension:custom:2.0:User';

/** Builds the body that Okta sends when a user is assigned to the app. */
export function oktaCreateBody(userName: string): string {
  return JSON.stringify({
    schemas: [CORE_SCHEMA, CUSTOM_SCHEMA],
    userName,
    name: { givenName: 'Bench', familyName: 'User' },
    emails: [{ primary: true, value: userName, type: 'work' }],
    displayName: 'Bench User',
    locale: 'en-US',
    active: true,
    [CUSTOM_SCHEMA]: { dropboxSign_role: 'Member' },
  });
}

/** Creates a fake team whose rate limit never slows the worker down, and returns its API key. */
export async function createFakeTeam(fakeUrl: string): Promise<string> {
  const team = await sendJson<{ apiKey: string }>('POST', `${fakeUrl}/_fake/teams`, {}, {
    name: 'Benchmark Team',
    plan: 'enterprise',
    rateLimitPerMinute: 100_000_000,
  });

  return team.apiKey;
}

/** Creates, enables and issues a SCIM token for an integration through the admin API. */
export async function createIntegration(gatewayUrl: string, adminToken: string, apiKey: string): Promise<BenchIntegration> {
  const headers = { Authorization: `Bearer ${adminToken}` };
  const created = await sendJson<{ id: string }>('POST', `${gatewayUrl}/admin/api/integrations`, headers, { displayName: 'Benchmark', apiKey });
  await sendJson('POST', `${gatewayUrl}/admin/api/integrations/${created.id}/enable`, headers);
  const issued = await sendJson<{ token: string }>('POST', `${gatewayUrl}/admin/api/integrations/${created.id}/tokens`, headers);

  return { id: created.id, token: issued.token, scimBaseUrl: `${gatewayUrl}/scim/v2/${created.id}` };
}

/** Stores `count` users through POST /Users, `concurrency` requests at a time. */
export async function seedUsers(integration: BenchIntegration, count: number, concurrency: number): Promise<StoredUser[]> {
  const users: StoredUser[] = [];
  let next = 0;

  const sender = async (): Promise<void> => {
    while (next < count) {
      const userName = `seed.${next++}@bench.example.test`;
      const headers = { ...SCIM_HEADERS, Authorization: `Bearer ${integration.token}` };
      const user = await sendJson<{ id: string }>('POST', `${integration.scimBaseUrl}/Users`, headers, oktaCreateBody(userName));
      users.push({ id: user.id, userName });
    }
  };

  await Promise.all(Array.from({ length: concurrency }, sender));
  return users;
}

/** Waits until the worker has applied every stored change; returns the seconds it took. */
export async function waitForWorker(db: Client, timeoutMs: number): Promise<number> {
  const started = Date.now();

  while (Date.now() - started < timeoutMs) {
    const { rows } = await db.query<{ pending: string }>(`SELECT count(*) AS pending FROM scim_user WHERE applied_generation < desired_generation`);
    if (Number(rows[0].pending) === 0) return (Date.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }

  throw new Error(`the worker did not apply every change within ${timeoutMs / 1000} s`);
}

async function sendJson<T = unknown>(method: string, url: string, headers: Record<string, string>, body?: unknown): Promise<T> {
  const init: RequestInit = { method, headers };
  if (body !== undefined) {
    init.headers = { 'Content-Type': 'application/json', ...headers };
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }

  const response = await fetch(url, init);
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${new URL(url).pathname} returned ${response.status}: ${text.slice(0, 300)}`);

  return (text ? JSON.parse(text) : undefined) as T;
}
