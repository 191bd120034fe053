// Runs work in a database transaction, one at a time where the driver shares a single
// connection. TypeORM's SQLite drivers hand every caller the same query runner, so two
// transactions open at once nest as savepoints of each other: one's COMMIT releases the
// other's savepoint, and a third fails with "no such savepoint" (seen under load in the
// 200-task scenario). PostgreSQL gives each transaction its own pooled connection.
import type { DataSource, EntityManager } from 'typeorm';
import { DatabaseDialect } from './dialect';

const queues = new WeakMap<DataSource, Promise<unknown>>();

export function inTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  if (!sharesOneConnection(dataSource)) return dataSource.transaction(work);
  const previous = queues.get(dataSource) ?? Promise.resolve();
  const result = previous.then(() => dataSource.transaction(work));
  queues.set(
    dataSource,
    result.catch(() => undefined),
  );
  return result;
}

function sharesOneConnection(dataSource: DataSource): boolean {
  return !DatabaseDialect.of(dataSource).isPostgres;
}
