import { createTestDatabase, TestDatabase } from '@scimify/testing';
import { createDataSource } from './data-source';

describe('migrations', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  it('leave nothing for the entities to change', async () => {
    const dataSource = createDataSource(database.url);
    await dataSource.initialize();

    try {
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((query) => query.query)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('revert cleanly', async () => {
    const dataSource = createDataSource(database.url);
    await dataSource.initialize();

    try {
      for (let index = 0; index < dataSource.migrations.length; index += 1) await dataSource.undoLastMigration();
      const tables = await dataSource.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations'`);
      expect(tables).toEqual([]);
      await dataSource.runMigrations();
    } finally {
      await dataSource.destroy();
    }
  });
});
