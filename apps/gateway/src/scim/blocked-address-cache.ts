/**
 * How long this replica reuses the shared limiter's "not blocked" result for a client address
 * (milliseconds). A block that another replica records takes effect here within this time.
 */
const NOT_BLOCKED_TTL_MS = 1000;
/** Addresses remembered at most; the oldest is dropped first, so that many client addresses cannot grow memory without bound. */
const MAX_ENTRIES = 10_000;

interface Entry {
  /** Epoch milliseconds until which the address is blocked; 0 when it is not blocked. */
  blockedUntil: number;
  expiresAt: number;
}

/**
 * Remembers the SCIM authentication limiter's results per client address, so that an identity
 * provider sending hundreds of requests a second costs one Redis read per address and second,
 * not one per request. Failures recorded by this replica update the entry at once.
 */
export class BlockedAddressCache {
  // A Map keeps insertion order, which gives the oldest-first eviction below without a library.
  private readonly entries = new Map<string, Entry>();

  /** Returns the seconds the address is still blocked for, or null. Reads the limiter when the entry is missing or stale. */
  async blockedFor(address: string, ask: () => Promise<number | null>): Promise<number | null> {
    const now = Date.now();
    const entry = this.entries.get(address);
    if (entry && entry.expiresAt > now) return entry.blockedUntil > now ? Math.ceil((entry.blockedUntil - now) / 1000) : null;

    const seconds = await ask();
    this.remember(address, seconds);
    return seconds;
  }

  /** Stores the limiter's result: blocked for `seconds`, or not blocked when null. */
  remember(address: string, seconds: number | null): void {
    const now = Date.now();
    const blockedUntil = seconds === null ? 0 : now + seconds * 1000;

    if (this.entries.size >= MAX_ENTRIES && !this.entries.has(address)) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.delete(address);
    this.entries.set(address, { blockedUntil, expiresAt: seconds === null ? now + NOT_BLOCKED_TTL_MS : blockedUntil });
  }
}
