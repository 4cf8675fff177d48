import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@scimify/config';
import { IntegrationChangeSubscription, subscribeToIntegrationChanges } from '@scimify/integrations';
import { IntegrationEntity } from '@scimify/persistence';

/** A SCIM token found among the integration's active tokens. */
export interface AuthenticatedToken {
  tokenId: string;
  /** Shared by every request that hits the cache entry: read it, never change it. */
  integration: IntegrationEntity;
  /** Last time this replica wrote scim_token.last_used_at (epoch milliseconds), or 0. */
  lastUsedWrittenAt: number;
}

/** Returns the token, or null when the integration has no such active token. */
export type TokenLoader = () => Promise<AuthenticatedToken | null>;

interface CacheEntry {
  token: AuthenticatedToken | null;
  expiresAt: number;
}

/**
 * How long a found token is trusted without asking Postgres (milliseconds). Changes clear the
 * cache at once through Redis; the time limit only bounds staleness when a publish got lost.
 */
const FOUND_TTL_MS = 30_000;
/** How long an unknown token is remembered, so that a client retrying a bad token costs no query each time (milliseconds). */
const NOT_FOUND_TTL_MS = 5_000;
/** Entries kept at most; the oldest is dropped first, so that a flood of random tokens cannot grow memory without bound. */
const MAX_ENTRIES = 10_000;

/**
 * Caches SCIM token lookups per integration id and token hash, in this process. Every replica
 * subscribes to integration changes on Redis and drops an integration's entries as soon as an
 * administrator disables, enables or edits it, or issues or revokes a token. While that
 * subscription is down the cache is bypassed, because changes published meanwhile are lost.
 */
@Injectable()
export class TokenCacheService implements OnModuleInit, OnModuleDestroy {
  // A Map keeps insertion order, which gives the oldest-first eviction below without a library.
  private readonly entries = new Map<string, CacheEntry>();
  private readonly loads = new Map<string, Promise<AuthenticatedToken | null>>();
  /** Bumped by every invalidation; a load that started before one must not store its result. */
  private generation = 0;
  private listening = false;
  private subscription: IntegrationChangeSubscription | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onModuleInit(): void {
    this.subscription = subscribeToIntegrationChanges(this.config, {
      onChange: (change) => this.invalidate(change.integrationId),
      onListeningChanged: (listening) => {
        this.listening = listening;
        this.clear();
      },
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.close();
  }

  /** Tells whether lookups use the cache, which they do only while subscribed to integration changes. */
  isActive(): boolean {
    return this.listening;
  }

  /** Returns the cached token, or loads it once for all concurrent requests with the same token. */
  async lookup(integrationId: string, tokenHash: string, load: TokenLoader): Promise<AuthenticatedToken | null> {
    if (!this.listening) return load();

    const key = `${integrationId}:${tokenHash}`;
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > Date.now()) return entry.token;

    const pending = this.loads.get(key);
    if (pending) return pending;

    return this.loadAndStore(key, load);
  }

  /** Drops every entry of the integration and discards the results of loads still running. */
  invalidate(integrationId: string): void {
    this.generation += 1;
    this.loads.clear();

    const prefix = `${integrationId}:`;
    for (const key of this.entries.keys()) {
      if (key.startsWith(prefix)) this.entries.delete(key);
    }
  }

  clear(): void {
    this.generation += 1;
    this.loads.clear();
    this.entries.clear();
  }

  private async loadAndStore(key: string, load: TokenLoader): Promise<AuthenticatedToken | null> {
    const generation = this.generation;
    const loading = load();
    this.loads.set(key, loading);

    try {
      const token = await loading;
      if (generation === this.generation) this.store(key, token);
      return token;
    } finally {
      if (this.loads.get(key) === loading) this.loads.delete(key);
    }
  }

  private store(key: string, token: AuthenticatedToken | null): void {
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }

    this.entries.delete(key);
    this.entries.set(key, { token, expiresAt: Date.now() + (token ? FOUND_TTL_MS : NOT_FOUND_TTL_MS) });
  }
}
