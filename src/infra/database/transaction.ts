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
  return oneAtATime(queues, dataSource, () => dataSource.transaction(work));
}

/** Starts `run` once everything queued before it on `dataSource` has settled. */
function oneAtATime<T>(
  queuesOf: WeakMap<DataSource, Promise<unknown>>,
  dataSource: DataSource,
  run: () => Promise<T>,
): Promise<T> {
  const previous = queuesOf.get(dataSource) ?? Promise.resolve();
  const result = previous.then(run);
  queuesOf.set(
    dataSource,
    result.catch(() => undefined),
  );
  return result;
}

function sharesOneConnection(dataSource: DataSource): boolean {
  return !DatabaseDialect.of(dataSource).isPostgres;
}

const exclusiveQueues = new WeakMap<DataSource, Promise<unknown>>();

/**
 * Runs `work` in a transaction that holds `key` until it ends, so a check it reads and
 * the write it makes are one step for everyone else who asks for the same key. On
 * PostgreSQL that is a transaction-scoped advisory lock (other processes wait for the
 * commit), and this process runs one such transaction at a time: a waiter then holds at
 * most one pooled connection, and the holder's own reads through the pool always find
 * one free. On SQLite, inTransaction already runs one transaction at a time.
 */
export function inExclusiveTransaction<T>(
  dataSource: DataSource,
  key: string,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  if (sharesOneConnection(dataSource)) return inTransaction(dataSource, work);
  return oneAtATime(exclusiveQueues, dataSource, () =>
    dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
      return work(manager);
    }),
  );
}
