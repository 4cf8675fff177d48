import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@scimify/config';
import { createHash, randomBytes } from 'node:crypto';
import { AdminRedisService } from './admin-redis.service';

/** Name of the HttpOnly cookie that carries the session id. */
export const SESSION_COOKIE = 'scimify_admin_session';

export interface AdminSession {
  /** Sent back by the console in forms and the X-CSRF-Token header of state-changing requests. */
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

export interface CreatedSession {
  /** Random id for the cookie; Redis stores only its SHA-256 digest. */
  sessionId: string;
  session: AdminSession;
}

const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Server-side admin sessions in Redis, keyed by a digest of a random id, so that logout ends a
 * session at once and a Redis dump reveals no usable cookie. Losing Redis logs administrators out.
 */
@Injectable()
export class AdminSessionService {
  constructor(
    private readonly redis: AdminRedisService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get ttlSeconds(): number {
    return this.config.ADMIN_SESSION_TTL_SECONDS;
  }

  async create(): Promise<CreatedSession> {
    const sessionId = randomBytes(32).toString('base64url');
    const now = Date.now();
    const session: AdminSession = {
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.ttlSeconds * 1000).toISOString(),
    };

    await this.redis.client.set(this.keyOf(sessionId), JSON.stringify(session), 'EX', this.ttlSeconds);
    return { sessionId, session };
  }

  /** Returns the live session of a cookie value, or null for an unknown, expired or malformed one. */
  async find(sessionId: string): Promise<AdminSession | null> {
    if (!SESSION_ID_PATTERN.test(sessionId)) return null;

    const stored = await this.redis.client.get(this.keyOf(sessionId));
    return stored ? (JSON.parse(stored) as AdminSession) : null;
  }

  async delete(sessionId: string): Promise<void> {
    if (!SESSION_ID_PATTERN.test(sessionId)) return;

    await this.redis.client.del(this.keyOf(sessionId));
  }

  private keyOf(sessionId: string): string {
    return this.redis.key('admin-session', createHash('sha256').update(sessionId).digest('hex'));
  }
}
