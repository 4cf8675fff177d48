import { randomBytes } from 'node:crypto';
import { AppConfig, loadConfig } from '@scimify/config';

/** Builds a validated AppConfig for a test, with its own database and queue prefix and fresh secrets. */
export function testConfig(values: { databaseUrl: string; redisUrl: string; queuePrefix: string } & Record<string, string>): AppConfig {
  const { databaseUrl, redisUrl, queuePrefix, ...overrides } = values;

  return loadConfig({
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: queuePrefix,
    SCIMIFY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    SCIMIFY_ADMIN_TOKEN: randomBytes(24).toString('hex'),
    PUBLIC_BASE_URL: 'http://127.0.0.1:3000',
    LISTEN_HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    RECONCILE_BACKOFF_MS: '200',
    ...overrides,
  });
}
