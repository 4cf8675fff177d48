import { Logger } from '@nestjs/common';
import { AppConfig } from '@scimify/config';
import { testConfig, testServices } from '@scimify/testing';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { IntegrationChange, IntegrationChangePublisher, IntegrationChangeSubscription, integrationChangeChannel, subscribeToIntegrationChanges } from './integration-changes';

/** Subscribes and resolves once the subscription is in place. */
async function listeningSubscriber(config: AppConfig, received: IntegrationChange[]): Promise<IntegrationChangeSubscription> {
  let subscription: IntegrationChangeSubscription | null = null;
  await new Promise<void>((resolve) => {
    subscription = subscribeToIntegrationChanges(config, {
      onChange: (change) => received.push(change),
      onListeningChanged: (listening) => listening && resolve(),
    });
  });
  return subscription!;
}

describe('integration changes on Redis', () => {
  let config: AppConfig;
  const subscriptions: IntegrationChangeSubscription[] = [];

  beforeAll(async () => {
    const { databaseUrl, redisUrl } = await testServices();
    config = testConfig({ databaseUrl, redisUrl, queuePrefix: `changes-${randomBytes(4).toString('hex')}` });
  });

  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((subscription) => subscription.close()));
  });

  it('resolves a publish only after every subscriber has applied the change', async () => {
    const first: IntegrationChange[] = [];
    const second: IntegrationChange[] = [];
    subscriptions.push(await listeningSubscriber(config, first), await listeningSubscriber(config, second));
    const publisher = new IntegrationChangePublisher(config);

    for (let round = 1; round <= 20; round++) {
      await publisher.publish({ integrationId: `integration-${round}`, kind: 'token_revoked' });
      expect([first.length, second.length]).toEqual([round, round]);
    }
    expect(first[19]).toEqual({ integrationId: 'integration-20', kind: 'token_revoked', changeId: expect.any(String) });
  });

  it('stops waiting for a silent subscriber', async () => {
    const silent = new Redis(config.REDIS_URL);
    await silent.subscribe(integrationChangeChannel(config.QUEUE_PREFIX));
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);

    try {
      const started = Date.now();
      await new IntegrationChangePublisher(config).publish({ integrationId: 'integration-x', kind: 'disabled' });
      const waited = Date.now() - started;

      expect(waited).toBeGreaterThanOrEqual(900);
      expect(warn).toHaveBeenCalledWith(expect.objectContaining({ receivers: 1, confirmed: 0 }), expect.stringContaining('did not confirm'));
    } finally {
      warn.mockRestore();
      silent.disconnect();
    }
  });

  it('ignores a message without a change id', async () => {
    const received: IntegrationChange[] = [];
    subscriptions.push(await listeningSubscriber(config, received));
    const raw = new Redis(config.REDIS_URL);

    try {
      await raw.publish(integrationChangeChannel(config.QUEUE_PREFIX), JSON.stringify({ integrationId: 'integration-y', kind: 'updated' }));
      await new IntegrationChangePublisher(config).publish({ integrationId: 'integration-z', kind: 'updated' });
    } finally {
      raw.disconnect();
    }

    expect(received.map((change) => change.integrationId)).toEqual(['integration-z']);
  });
});
