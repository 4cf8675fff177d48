import { INestApplication } from '@nestjs/common';
import { AppConfig } from '@scimify/config';
import { createTestDatabase, FakeDropboxSignControl, TcpProxy, testConfig, testServices, throughProxy, uniqueQueuePrefix } from '@scimify/testing';
import { startFakeDropboxSign } from '../../apps/dropbox-sign-fake/src/fake-server';
import { createGatewayApp } from '../../apps/gateway/src/gateway-app';
import { createWorkerApp } from '../../apps/worker/src/worker-app';
import { Client } from 'pg';

/** Gateway, worker and fake Dropbox Sign in this process, on loopback, with a database and queue prefix of their own. */
export interface Stack {
  config: AppConfig;
  gatewayUrl: string;
  fake: FakeDropboxSignControl;
  gateway: INestApplication;
  worker: INestApplication;
  db: Client;
  /** Set when started with `proxyDatabase`: the apps reach Postgres only through it. */
  databaseProxy: TcpProxy | null;
  /** Set when started with `proxyRedis`: the apps reach Redis only through it. */
  redisProxy: TcpProxy | null;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export interface StackOptions {
  proxyDatabase?: boolean;
  proxyRedis?: boolean;
}

async function startProxy(url: string): Promise<TcpProxy> {
  const parsed = new URL(url);
  const proxy = new TcpProxy(parsed.hostname, Number(parsed.port || (parsed.protocol.startsWith('redis') ? 6379 : 5432)));
  await proxy.start();
  return proxy;
}

export async function startStack(overrides: Record<string, string> = {}, options: StackOptions = {}): Promise<Stack> {
  const { redisUrl } = await testServices();
  const database = await createTestDatabase();
  const fakeServer = await startFakeDropboxSign();
  const databaseProxy = options.proxyDatabase ? await startProxy(database.url) : null;
  const redisProxy = options.proxyRedis ? await startProxy(redisUrl) : null;
  const config = testConfig({
    databaseUrl: databaseProxy ? throughProxy(database.url, databaseProxy) : database.url,
    redisUrl: redisProxy ? throughProxy(redisUrl, redisProxy) : redisUrl,
    queuePrefix: uniqueQueuePrefix(),
    DROPBOX_SIGN_API_URL: `${fakeServer.url}/v3`,
    ...overrides,
  });

  const worker = await createWorkerApp(config);
  await worker.listen(0, '127.0.0.1');
  const gateway = await createGatewayApp(config);
  await gateway.listen(0, '127.0.0.1');
  const gatewayUrl = (await gateway.getUrl()).replace('[::1]', '127.0.0.1');

  const db = new Client({ connectionString: database.url });
  await db.connect();

  return {
    config,
    gatewayUrl,
    fake: new FakeDropboxSignControl(fakeServer.url),
    gateway,
    worker,
    db,
    databaseProxy,
    redisProxy,
    admin: async (method, path, body) => {
      const response = await fetch(`${gatewayUrl}/admin/api${path}`, {
        method,
        headers: { Authorization: `Bearer ${config.SCIMIFY_ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    close: async () => {
      await gateway.close();
      await worker.close();
      await db.end();
      await databaseProxy?.close();
      await redisProxy?.close();
      await fakeServer.close();
      await database.drop();
    },
  };
}

/** Creates, enables and issues a token for an integration through the admin API. */
export async function createIntegration(
  stack: Stack,
  input: { displayName: string; apiKey: string; transferEmail?: string | null },
): Promise<{ id: string; token: string; scimBaseUrl: string }> {
  const created = await stack.admin('POST', '/integrations', input);
  if (created.status !== 201) throw new Error(`create integration failed with HTTP ${created.status}: ${JSON.stringify(created.body)}`);

  await stack.admin('POST', `/integrations/${created.body.id}/enable`);
  const issued = await stack.admin('POST', `/integrations/${created.body.id}/tokens`);

  return { id: created.body.id, token: issued.body.token, scimBaseUrl: `${stack.gatewayUrl}/scim/v2/${created.body.id}` };
}

export interface ScimResponse {
  status: number;
  body: any;
  headers: Headers;
}

/** Sends a SCIM request the way Okta does: scim+json with a charset, bearer token. */
export async function scim(baseUrl: string, token: string, method: string, path: string, body?: unknown, contentType = 'application/scim+json; charset=utf-8'): Promise<ScimResponse> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      Accept: 'application/scim+json',
      'User-Agent': 'Okta SCIM Client 1.0.0',
      ...(body === undefined ? {} : { 'Content-Type': contentType }),
    },
    body: serializeBody(body),
  });
  const text = await response.text();

  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

/** Sends strings as they are, so that tests can post malformed JSON, and serialises everything else. */
function serializeBody(body: unknown): string | undefined {
  if (body === undefined) return undefined;
  if (typeof body === 'string') return body;

  return JSON.stringify(body);
}
