import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { AdminRedisService } from './admin-redis.service';

/** How long a submitted form key is remembered (seconds). */
const REMEMBER_SECONDS = 24 * 3600;

/**
 * One-time keys for console forms whose effect must not repeat when the browser submits the
 * same form again (reload or back button after "Rotate token"). Redis keeps a digest of each
 * used key under QUEUE_PREFIX.
 */
@Injectable()
export class FormReplayService {
  constructor(private readonly redis: AdminRedisService) {}

  /** Returns a new key for a form. */
  newKey(): string {
    return randomBytes(16).toString('base64url');
  }

  /** Records the key as used; returns false when the form was submitted with it before. */
  async claim(formKey: string): Promise<boolean> {
    const digest = createHash('sha256').update(formKey).digest('hex');
    const result = await this.redis.client.set(this.redis.key('admin-form', digest), '1', 'EX', REMEMBER_SECONDS, 'NX');

    return result === 'OK';
  }
}
