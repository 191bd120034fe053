import { DataSource } from 'typeorm';
import {
  buildDataSourceOptions,
  connectDataSource,
} from '../../src/infra/database/data-source.factory';
import { MIGRATIONS, SCHEMA } from '../../src/schema';
import { createTestDatabase } from '../support/postgres';
import { connectToTarget, databaseTargets } from '../support/database-targets';
import { testConfig } from '../support/test-config';

const targets = databaseTargets('kiln-schema');

describe.each(targets)('migrations on $name', (target) => {
  let dataSource: DataSource;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ dataSource, close } = await connectToTarget(target, {
      KILN_DATABASE_MIGRATE_ON_BOOT: 'true',
    }));
  });

  afterAll(async () => {
    await close?.();
  });

  it('builds exactly the schema the entities describe', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('records every migration as applied', async () => {
    const applied = await dataSource.query(`SELECT name FROM migrations ORDER BY id`);
    expect(applied.map((row: { name: string }) => row.name)).toEqual(
      MIGRATIONS.map((migration) => migration.name),
    );
  });

  it('reverts every migration, leaving no table of its own behind', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++)
      await dataSource.undoLastMigration({ transaction: 'each' });
    // getTables() without names also lists system tables (sqlite_sequence, information_schema), so ask for ours.
    const ownTables = dataSource.entityMetadatas.map((metadata) => metadata.tableName);
    const tables = await dataSource.createQueryRunner().getTables(ownTables);
    expect(tables.map((table) => table.name)).toEqual([]);
  });
});

describe('replicas booting together on one PostgreSQL database', () => {
  it('migrate one at a time: all of them start, and each migration is applied once', async () => {
    const database = await createTestDatabase('kiln_schema_race');
    const config = testConfig({
      KILN_DATABASE_URL: database.url,
      KILN_DATABASE_MIGRATE_ON_BOOT: 'true',
    });
    const replicas: DataSource[] = [];
    try {
      replicas.push(
        ...(await Promise.all(
          [1, 2, 3, 4].map(() => connectDataSource(config, buildDataSourceOptions(config, SCHEMA))),
        )),
      );
      const applied: Array<{ name: string }> = await replicas[0].query(
        'SELECT name FROM migrations ORDER BY id',
      );
      expect(applied.map((row) => row.name)).toEqual(MIGRATIONS.map((m) => m.name));
    } finally {
      await Promise.all(replicas.map((replica) => replica.destroy()));
      await database.drop();
    }
  });
});
