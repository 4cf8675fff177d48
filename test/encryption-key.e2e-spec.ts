import { randomBytes } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { createTestDatabase } from '@scimify/testing';
import { createGatewayApp } from '../apps/gateway/src/gateway-app';
import { createWorkerApp } from '../apps/worker/src/worker-app';
import { createIntegration, Stack, startStack } from './support/stack';

const MISMATCH = 'SCIMIFY_ENCRYPTION_KEY does not decrypt the Dropbox Sign API keys stored in the database';

/** Gateway and worker fail to start with a key that cannot decrypt the stored API keys. */
describe('encryption key check', () => {
  let stack: Stack;
  const otherKey = randomBytes(32).toString('hex');

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('names the migrations on an empty database', async () => {
    const empty = await createTestDatabase({ migrate: false });
    try {
      await expect(createGatewayApp({ ...stack.config, DATABASE_URL: empty.url })).rejects.toThrow('The database has no Scimify tables: run the migrations first');
    } finally {
      await empty.drop();
    }
  });

  it('accepts any key without integrations', async () => {
    const gateway = await createGatewayApp({ ...stack.config, SCIMIFY_ENCRYPTION_KEY: otherKey });
    await gateway.close();
  });

  describe('with an integration stored', () => {
    beforeAll(async () => {
      const team = await stack.fake.createTeam({ rateLimitPerMinute: 1000 });
      await createIntegration(stack, { displayName: 'Encrypted', apiKey: team.apiKey });
    });

    it('rejects another key in the gateway', async () => {
      await expect(createGatewayApp({ ...stack.config, SCIMIFY_ENCRYPTION_KEY: otherKey })).rejects.toThrow(MISMATCH);
    });

    it('rejects another key in the worker', async () => {
      await expect(createWorkerApp({ ...stack.config, SCIMIFY_ENCRYPTION_KEY: otherKey })).rejects.toThrow(MISMATCH);
    });

    it('keeps the key out of the message', async () => {
      const error: Error = await createGatewayApp({ ...stack.config, SCIMIFY_ENCRYPTION_KEY: otherKey }).then(
        (app: INestApplication) => app.close().then(() => new Error('started')),
        (rejection: Error) => rejection,
      );

      expect(error.message).toContain(MISMATCH);
      expect(error.message).not.toContain(otherKey);
      expect(error.message).not.toContain(stack.config.SCIMIFY_ENCRYPTION_KEY);
    });

    it('starts with the right key', async () => {
      const gateway = await createGatewayApp(stack.config);
      await gateway.close();
    });
  });
});
