import 'reflect-metadata';
import { loadDatabaseUrl } from '@scimify/config';
import { runMigrations } from './data-source';

/** Entry point of `npm run migrate`: applies pending migrations to DATABASE_URL. */
async function main(): Promise<void> {
  const applied = await runMigrations(loadDatabaseUrl());
  const summary = applied.length === 0 ? 'no pending migrations' : `applied ${applied.join(', ')}`;
  process.stdout.write(`Migrations: ${summary}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`Migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
