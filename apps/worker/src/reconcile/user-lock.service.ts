import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface HeldLock {
  release(): Promise<void>;
}

/**
 * One reconcile per user at a time across every worker replica, through a Postgres session
 * advisory lock. The lock lives on its own connection, so a worker that dies releases it when
 * Postgres drops the connection.
 */
@Injectable()
export class UserLockService {
  constructor(private readonly dataSource: DataSource) {}

  async tryLock(userId: string): Promise<HeldLock | null> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();

    try {
      const [{ locked }] = await runner.query(`SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`, [userId]);
      if (locked) return { release: () => this.release(runner, userId) };
    } catch (error) {
      await runner.release();
      throw error;
    }

    await runner.release();
    return null;
  }

  private async release(runner: ReturnType<DataSource['createQueryRunner']>, userId: string): Promise<void> {
    try {
      await runner.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [userId]);
    } finally {
      await runner.release();
    }
  }
}
