import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@scimify/config';
import { Pool, PoolClient } from 'pg';

export interface HeldLock {
  release(): Promise<void>;
}

/**
 * One reconcile per user at a time across every worker replica, through a Postgres session
 * advisory lock. The lock lives on its own connection, so a worker that dies releases it when
 * Postgres drops the connection. Those connections come from a pool of their own, one per job
 * slot: a held lock keeps its connection for the whole reconcile, and in the shared TypeORM
 * pool WORKER_CONCURRENCY held locks would leave no connection for the jobs' own queries.
 */
@Injectable()
export class UserLockService implements OnApplicationShutdown {
  private readonly logger = new Logger(UserLockService.name);
  private readonly pool: Pool;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.pool = new Pool({ connectionString: config.DATABASE_URL, max: config.WORKER_CONCURRENCY, connectionTimeoutMillis: 5000 });
    // The pool replaces an idle connection that Postgres closed, so its error must not crash the worker.
    this.pool.on('error', (error) => this.logger.warn({ error: error.message }, 'Idle connection of the user lock pool failed'));
  }

  async tryLock(userId: string): Promise<HeldLock | null> {
    const connection = await this.pool.connect();

    try {
      const { rows } = await connection.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`, [userId]);
      if (rows[0].locked) return { release: () => this.release(connection, userId) };
    } catch (error) {
      connection.release(true);
      throw error;
    }

    connection.release();
    return null;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }

  private async release(connection: PoolClient, userId: string): Promise<void> {
    try {
      await connection.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [userId]);
      connection.release();
    } catch (error) {
      // Dropping the connection ends its session, and with it the lock.
      connection.release(true);
      throw error;
    }
  }
}
