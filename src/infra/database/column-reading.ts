// Which columns a hot read path may take from the driver as they come, without TypeORM's
// per-value conversion.
//
// TypeORM converts every value it reads through one driver method
// (`prepareHydratedValue`), shared by every column of every entity the process loads.
// The more kinds of column pass through it, the less V8 can specialize it: with the
// columns of all of Kiln's modules behind it, converting a page of the task list cost
// about three times the CPU and allocated about three times as much (a 50-row page,
// measured in isolation), and under the tasks-list benchmark it was the largest
// allocation added per request (test/bench/RESULTS.md, "the list after the reshape").
// For the column types below node-postgres already yields the value that method would
// return, so a row mapper reads them directly and leaves the rest to TypeORM.
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/**
 * Column types whose node-postgres value is final: strings, 32-bit integers, booleans,
 * parsed JSON and `Date`s (TypeORM hands a `Date` back unchanged).
 */
const FINAL_ON_POSTGRES = new Set<unknown>([
  'uuid',
  'varchar',
  'character varying',
  'text',
  'integer',
  'int',
  'int4',
  'smallint',
  'boolean',
  'bool',
  'jsonb',
  'json',
  'timestamptz',
  'timestamp with time zone',
]);

/** Whether `column`'s value as node-postgres returns it needs no conversion by TypeORM. */
export function isReadAsIsOnPostgres(column: ColumnMetadata): boolean {
  return !column.transformer && !column.isArray && FINAL_ON_POSTGRES.has(column.type);
}
