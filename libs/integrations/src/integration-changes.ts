import { Logger } from '@nestjs/common';
import { AppConfig, redisOptionsFromUrl } from '@scimify/config';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';

/** Kind of administrator change. Every kind makes gateways drop what they cached about the integration. */
export type IntegrationChangeKind = 'updated' | 'enabled' | 'disabled' | 'token_issued' | 'token_revoked';

/** Message on the integration change channel; it carries ids only, never a token or key. */
export interface IntegrationChange {
  integrationId: string;
  kind: IntegrationChangeKind;
}

/** A change as it travels on the channel: with the id under which each subscriber confirms that it applied it. */
export interface PublishedIntegrationChange extends IntegrationChange {
  changeId: string;
}

export interface IntegrationChangeHandlers {
  onChange(change: IntegrationChange): void;
  /**
   * Called with false when the subscription connection closes and with true once it is
   * subscribed again. Changes published in between are lost, so a cache must not trust its
   * entries while the subscription is down.
   */
  onListeningChanged(listening: boolean): void;
}

export interface IntegrationChangeSubscription {
  close(): Promise<void>;
}

/** A publish that has not reached Redis within this time is given up (milliseconds). */
const PUBLISH_TIMEOUT_MS = 2000;
/** How long a publish waits for the subscribers to confirm that they dropped their cache entries (milliseconds). */
const CONFIRM_TIMEOUT_MS = 1000;
/** Time after which uncollected confirmations expire (seconds). */
const CONFIRM_KEY_TTL_SECONDS = 60;
const KINDS: ReadonlySet<string> = new Set<IntegrationChangeKind>(['updated', 'enabled', 'disabled', 'token_issued', 'token_revoked']);

/** Redis pub/sub channel of integration changes, under QUEUE_PREFIX so that deployments sharing one Redis stay apart. */
export function integrationChangeChannel(queuePrefix: string): string {
  return `${queuePrefix}:integration-changed`;
}

/** Redis list to which each subscriber pushes one entry once it has applied the change. */
export function integrationChangeConfirmKey(queuePrefix: string, changeId: string): string {
  return `${queuePrefix}:integration-changed:${changeId}:confirmed`;
}

/** Parses a channel message; returns null for anything that is not a published IntegrationChange. */
export function parseIntegrationChange(message: string): PublishedIntegrationChange | null {
  try {
    const value = JSON.parse(message) as Partial<PublishedIntegrationChange> | null;
    if (typeof value?.integrationId !== 'string' || typeof value.kind !== 'string' || !KINDS.has(value.kind)) return null;
    if (typeof value.changeId !== 'string' || !/^[0-9a-f-]{36}$/.test(value.changeId)) return null;

    return { integrationId: value.integrationId, kind: value.kind, changeId: value.changeId };
  } catch {
    return null;
  }
}

/**
 * Publishes integration changes to every gateway replica. Each publish opens a connection of
 * its own and closes it: changes are rare administrator actions, and the CLI, which has no
 * shutdown hooks, must not be kept running by an open connection.
 */
export class IntegrationChangePublisher {
  private readonly logger = new Logger(IntegrationChangePublisher.name);

  constructor(private readonly config: AppConfig) {}

  /**
   * Publishes the change and resolves once every subscribed replica has confirmed that it
   * applied it, or after CONFIRM_TIMEOUT_MS. So a revoked token is refused by every replica
   * when the administrator's request returns. A failure is logged, not thrown, because the
   * change is already stored in Postgres.
   */
  async publish(change: IntegrationChange): Promise<void> {
    const client = new Redis({
      ...redisOptionsFromUrl(this.config.REDIS_URL),
      lazyConnect: true,
      connectTimeout: PUBLISH_TIMEOUT_MS,
      commandTimeout: PUBLISH_TIMEOUT_MS,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    // The rejected connect or publish below reports the failure; this listener only keeps ioredis from printing it again.
    client.on('error', () => undefined);

    try {
      await client.connect();
      const changeId = randomUUID();
      const message: PublishedIntegrationChange = { integrationId: change.integrationId, kind: change.kind, changeId };
      const receivers = await client.publish(integrationChangeChannel(this.config.QUEUE_PREFIX), JSON.stringify(message));
      await this.awaitConfirmations(client, change, changeId, receivers);
    } catch (error) {
      this.logger.warn(
        { integrationId: change.integrationId, kind: change.kind, error: error instanceof Error ? error.message : String(error) },
        'Publishing an integration change failed: gateways that stay subscribed keep their cached tokens of this integration until the cache entries expire',
      );
    } finally {
      client.disconnect();
    }
  }

  private async awaitConfirmations(client: Redis, change: IntegrationChange, changeId: string, receivers: number): Promise<void> {
    const key = integrationChangeConfirmKey(this.config.QUEUE_PREFIX, changeId);
    const deadline = Date.now() + CONFIRM_TIMEOUT_MS;
    let confirmed = 0;

    while (confirmed < receivers) {
      const remainingSeconds = (deadline - Date.now()) / 1000;
      if (remainingSeconds <= 0) break;
      // BLPOP treats 0 as "wait forever", so the wait never goes below a millisecond.
      const popped = await client.blpop(key, Math.max(remainingSeconds, 0.001));
      if (!popped) break;
      confirmed += 1;
    }
    await client.del(key);

    if (confirmed < receivers) {
      this.logger.warn(
        { integrationId: change.integrationId, kind: change.kind, receivers, confirmed },
        `${receivers - confirmed} of ${receivers} subscribed replicas did not confirm the integration change within ${CONFIRM_TIMEOUT_MS} ms; their cached tokens of this integration expire within 30 s`,
      );
    }
  }
}

/**
 * Subscribes to integration changes on a connection of its own, and subscribes again after
 * every reconnection. Connection errors are logged once per outage.
 */
export function subscribeToIntegrationChanges(config: AppConfig, handlers: IntegrationChangeHandlers): IntegrationChangeSubscription {
  const logger = new Logger('IntegrationChangeSubscription');
  const channel = integrationChangeChannel(config.QUEUE_PREFIX);
  // Subscribing by hand on every 'ready' tells us when the subscription is in place again, which ioredis's autoResubscribe does not.
  const client = new Redis({ ...redisOptionsFromUrl(config.REDIS_URL), autoResubscribe: false, maxRetriesPerRequest: null });
  // A subscribed connection takes no other command, so confirmations go through a second one.
  const confirmations = client.duplicate({ maxRetriesPerRequest: 1 });
  confirmations.on('error', () => undefined);
  let errorLogged = false;

  client.on('message', (from: string, message: string) => {
    const change = from === channel ? parseIntegrationChange(message) : null;
    if (!change) return;

    handlers.onChange(change);
    const key = integrationChangeConfirmKey(config.QUEUE_PREFIX, change.changeId);
    confirmations
      .multi()
      .rpush(key, '1')
      .expire(key, CONFIRM_KEY_TTL_SECONDS)
      .exec()
      .catch((error: Error) => logger.warn({ integrationId: change.integrationId, error: error.message }, 'Confirming an integration change failed'));
  });
  client.on('ready', () => {
    client.subscribe(channel).then(
      () => {
        errorLogged = false;
        handlers.onListeningChanged(true);
      },
      (error: Error) => logger.warn({ error: error.message }, 'Subscribing to integration changes failed'),
    );
  });
  client.on('close', () => handlers.onListeningChanged(false));
  client.on('error', (error: Error) => {
    if (!errorLogged) logger.warn({ error: error.message }, 'Redis connection for integration changes failed; cached SCIM tokens are not used until it is back');
    errorLogged = true;
  });

  let closing: Promise<void> | null = null;
  const close = async (): Promise<void> => {
    // Reported before the connection is gone, so that no lookup trusts the cache during shutdown.
    handlers.onListeningChanged(false);
    await Promise.all(
      [client, confirmations].map((connection) =>
        connection.quit().then(
          () => undefined,
          () => connection.disconnect(),
        ),
      ),
    );
  };

  return { close: () => (closing ??= close()) };
}
