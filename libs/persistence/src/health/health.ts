import { DataSource } from 'typeorm';

export interface DependencyStatus {
  status: 'up' | 'down';
  error?: string;
}

/** Runs `SELECT 1` with a time limit. */
export async function checkPostgres(dataSource: DataSource, timeoutMs = 2000): Promise<DependencyStatus> {
  return withTimeout(dataSource.query('SELECT 1').then(() => undefined), timeoutMs);
}

export async function withTimeout(work: Promise<unknown>, timeoutMs: number): Promise<DependencyStatus> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no response within ${timeoutMs} ms`)), timeoutMs);
  });

  try {
    await Promise.race([work, timeout]);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
