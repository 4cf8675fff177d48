import { Logger } from '@nestjs/common';
import { AppConfig, redisOptionsFromUrl } from '@scimify/config';
import Redis from 'ioredis';

/** Kind of administrator change. Every kind makes gateways drop what they cached about the integration. */
export type IntegrationChangeKind = 'updated' | 'enabled' | 'disabled' | 'token_issued' | 'token_revoked';

/** Message on the integration change channel; it carries ids only, never a token or key. */
export interface IntegrationChange {
  integrationId: string;
  kind: IntegrationChangeKind;
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
const KINDS: ReadonlySet<string> = new Set<IntegrationChangeKind>(['updated', 'enabled', 'disabled', 'token_issued', 'token_revoked']);

/** Redis pub/sub channel of integration changes, under QUEUE_PREFIX so that deployments sharing one Redis stay apart. */
export function integrationChangeChannel(queuePrefix: string): string {
  return `${queuePrefix}:integration-changed`;
}

/** Parses a channel message; returns null for anything that is not an IntegrationChange. */
export function parseIntegrationChange(message: string): IntegrationChange | null {
  try {
    const value = JSON.parse(message) as Partial<IntegrationChange> | null;
    if (typeof value?.integrationId !== 'string' || typeof value.kind !== 'string' || !KINDS.has(value.kind)) return null;

    return { integrationId: value.integrationId, kind: value.kind };
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
   * Publishes the change and resolves when Redis has accepted it. A failure is logged, not
   * thrown, because the change is already stored in Postgres.
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
      await client.publish(integrationChangeChannel(this.config.QUEUE_PREFIX), JSON.stringify(change));
    } catch (error) {
      this.logger.warn(
        { integrationId: change.integrationId, kind: change.kind, error: error instanceof Error ? error.message : String(error) },
        'Publishing an integration change failed: gateways that stay subscribed keep their cached tokens of this integration until the cache entries expire',
      );
    } finally {
      client.disconnect();
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
  let errorLogged = false;

  client.on('message', (from: string, message: string) => {
    const change = from === channel ? parseIntegrationChange(message) : null;
    if (change) handlers.onChange(change);
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
    await client.quit().then(
      () => undefined,
      () => client.disconnect(),
    );
  };

  return { close: () => (closing ??= close()) };
}
