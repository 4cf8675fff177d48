import { IntegrationChangePublisher } from '@scimify/integrations';
import { IntegrationEntity } from '@scimify/persistence';
import { testConfig, testServices, uniqueQueuePrefix } from '@scimify/testing';
import { AuthenticatedToken, TokenCacheService } from './token-cache.service';

const INTEGRATION_ID = '6f1c1f3e-4b5a-4a59-9a64-3c1d2f0e9b10';

function foundToken(): AuthenticatedToken {
  return { tokenId: 'token-1', integration: { id: INTEGRATION_ID, enabled: true } as IntegrationEntity, lastUsedWrittenAt: 0 };
}

/** Builds a loader that counts its calls and resolves when the test calls `resolve`. */
function controlledLoader(): { load: () => Promise<AuthenticatedToken | null>; calls: () => number; resolve: (token: AuthenticatedToken | null) => void } {
  let calls = 0;
  let resolveLoad: (token: AuthenticatedToken | null) => void = () => undefined;

  return {
    load: () => {
      calls += 1;
      return new Promise((resolve) => (resolveLoad = resolve));
    },
    calls: () => calls,
    resolve: (token) => resolveLoad(token),
  };
}

describe('TokenCacheService', () => {
  let cache: TokenCacheService;
  let publisher: IntegrationChangePublisher;

  beforeEach(async () => {
    const { redisUrl } = await testServices();
    const config = testConfig({ databaseUrl: 'postgres://unused@127.0.0.1/unused', redisUrl, queuePrefix: uniqueQueuePrefix() });
    cache = new TokenCacheService(config);
    publisher = new IntegrationChangePublisher(config);
    cache.onModuleInit();

    for (let attempt = 0; attempt < 50 && !cache.isActive(); attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(cache.isActive()).toBe(true);
  });

  afterEach(async () => {
    await cache.onModuleDestroy();
  });

  it('loads a found token once', async () => {
    let calls = 0;
    const load = async () => {
      calls += 1;
      return foundToken();
    };

    await cache.lookup(INTEGRATION_ID, 'hash-a', load);
    const second = await cache.lookup(INTEGRATION_ID, 'hash-a', load);

    expect(calls).toBe(1);
    expect(second?.tokenId).toBe('token-1');
  });

  it('remembers an unknown token', async () => {
    let calls = 0;
    const load = async () => {
      calls += 1;
      return null;
    };

    expect(await cache.lookup(INTEGRATION_ID, 'hash-unknown', load)).toBeNull();
    expect(await cache.lookup(INTEGRATION_ID, 'hash-unknown', load)).toBeNull();
    expect(calls).toBe(1);
  });

  it('shares one load among concurrent lookups', async () => {
    const loader = controlledLoader();

    const first = cache.lookup(INTEGRATION_ID, 'hash-b', loader.load);
    const second = cache.lookup(INTEGRATION_ID, 'hash-b', loader.load);
    loader.resolve(foundToken());

    expect((await first)?.tokenId).toBe('token-1');
    expect((await second)?.tokenId).toBe('token-1');
    expect(loader.calls()).toBe(1);
  });

  it('discards a load that an invalidation overtook', async () => {
    const stale = controlledLoader();
    const pending = cache.lookup(INTEGRATION_ID, 'hash-c', stale.load);

    cache.invalidate(INTEGRATION_ID);
    stale.resolve(foundToken());
    await pending;

    const fresh = controlledLoader();
    const reloaded = cache.lookup(INTEGRATION_ID, 'hash-c', fresh.load);
    fresh.resolve(null);

    expect(await reloaded).toBeNull();
    expect(fresh.calls()).toBe(1);
  });

  it('drops entries on a published change', async () => {
    let calls = 0;
    const load = async () => {
      calls += 1;
      return foundToken();
    };
    await cache.lookup(INTEGRATION_ID, 'hash-d', load);

    await publisher.publish({ integrationId: INTEGRATION_ID, kind: 'disabled' });
    for (let attempt = 0; attempt < 50 && calls < 2; attempt++) {
      await cache.lookup(INTEGRATION_ID, 'hash-d', load);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    expect(calls).toBe(2);
  });

  it('keeps entries of other integrations on a change', async () => {
    let calls = 0;
    const load = async () => {
      calls += 1;
      return foundToken();
    };
    await cache.lookup(INTEGRATION_ID, 'hash-e', load);

    cache.invalidate('0b7f0c56-0d4e-4a8e-8d43-2f6c7f2b9a11');
    await cache.lookup(INTEGRATION_ID, 'hash-e', load);

    expect(calls).toBe(1);
  });

  it('bypasses the cache while unsubscribed', async () => {
    await cache.onModuleDestroy();
    let calls = 0;
    const load = async () => {
      calls += 1;
      return foundToken();
    };

    await cache.lookup(INTEGRATION_ID, 'hash-f', load);
    await cache.lookup(INTEGRATION_ID, 'hash-f', load);

    expect(cache.isActive()).toBe(false);
    expect(calls).toBe(2);
  });
});
