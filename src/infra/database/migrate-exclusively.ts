// Applies pending migrations while holding a PostgreSQL advisory lock, so replicas that
// boot together (a rollout, WEB_CONCURRENCY workers, the compose `migrate` service next
// to an api) migrate one at a time: the first applies them, the rest wait, then find
// nothing to do. SQLite has one writer per file and needs no lock.
import type { DataSource, Migration } from 'typeorm';
import { DatabaseDialect } from './dialect';

/** An arbitrary fixed key that names "Kiln's migrations" among advisory locks. */
const MIGRATION_LOCK_KEY = 7_284_163_905;

export async function migrateExclusively(dataSource: DataSource): Promise<Migration[]> {
  if (!DatabaseDialect.of(dataSource).isPostgres) {
    return dataSource.runMigrations({ transaction: 'each' });
  }
  const session = dataSource.createQueryRunner();
  await session.connect();
  try {
    await session.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await session.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await session.release();
  }
}
