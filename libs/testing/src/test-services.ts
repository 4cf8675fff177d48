import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { runMigrations } from '@scimify/persistence';

/**
 * Postgres and Redis for tests: the servers named by DATABASE_URL and REDIS_URL when they are
 * set (CI and the team's machines), otherwise containers started with testcontainers (Docker).
 * Test support is the one place outside the config lib that reads process.env.
 */
export interface TestServices {
  databaseUrl: string;
  redisUrl: string;
}

let services: Promise<TestServices> | null = null;

export function testServices(): Promise<TestServices> {
  services ??= resolveServices();
  return services;
}

async function resolveServices(): Promise<TestServices> {
  const databaseUrl = process.env.DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  if (databaseUrl && redisUrl) return { databaseUrl, redisUrl };

  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const { RedisContainer } = await import('@testcontainers/redis');
  const [postgres, redis] = await Promise.all([
    databaseUrl ? null : new PostgreSqlContainer('postgres:17-alpine').start(),
    redisUrl ? null : new RedisContainer('redis:7-alpine').start(),
  ]);

  return {
    databaseUrl: databaseUrl ?? postgres!.getConnectionUri(),
    redisUrl: redisUrl ?? redis!.getConnectionUrl(),
  };
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Creates an empty database with every migration applied, unless `migrate` is false. Each test file gets its own. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const { databaseUrl } = await testServices();
  const name = `scimify_test_${randomBytes(6).toString('hex')}`;

  await withClient(databaseUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  if (options.migrate !== false) await runMigrations(url.toString());

  return {
    url: url.toString(),
    drop: () => withClient(databaseUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

async function withClient<T>(databaseUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();

  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Returns a QUEUE_PREFIX of its own, so that test files sharing one Redis do not see each other's jobs. */
export function uniqueQueuePrefix(): string {
  return `test_${randomBytes(5).toString('hex')}`;
}
