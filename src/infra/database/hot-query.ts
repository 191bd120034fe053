// A hot read path's query, generated once per shape and then reused: TypeORM turns a
// query builder into SQL and raw rows into entities through general machinery
// (aliases, relations, embedded columns) that costs more CPU than the database work of
// a small keyset page. Here the SQL of each distinct shape of query (which filters are
// present) is generated once; rows are read raw and converted column by column with
// the driver's own conversions (dates, JSON, booleans), the same on either database.
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { DataSource, EntityMetadata, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { isReadAsIsOnPostgres } from './column-reading';
import { DatabaseDialect } from './dialect';

/** Shapes kept at most; a shape is a combination of filters, so there are few. */
const MAX_SHAPES = 256;

export class HotQuery<T extends ObjectLiteral> {
  private readonly sqlByShape = new Map<string, string>();
  private readonly statementNames = new Map<string, string>();
  private toEntity?: (row: Record<string, unknown>) => T;
  private readonly onPostgres: boolean;

  constructor(
    private readonly dataSource: DataSource,
    private readonly alias: string,
  ) {
    this.onPostgres = DatabaseDialect.of(dataSource).isPostgres;
  }

  /**
   * Runs `qb`, whose SQL must depend only on `shape` (the parameters may differ),
   * and returns its rows as plain entity objects with every column.
   */
  async getMany(qb: SelectQueryBuilder<T>, shape: string): Promise<T[]> {
    let sql = this.sqlByShape.get(shape);
    if (sql === undefined) {
      sql = qb.getQuery();
      if (this.sqlByShape.size >= MAX_SHAPES) this.sqlByShape.clear();
      this.sqlByShape.set(shape, sql);
    }
    const driver = this.dataSource.driver;
    const [text, parameters] = driver.escapeQueryWithParameters(sql, qb.getParameters());
    const rows = await this.run(text, parameters);
    this.toEntity ??= compileRowMapper<T>(
      this.dataSource,
      qb.expressionMap.mainAlias!.metadata,
      this.alias,
    );
    return rows.map(this.toEntity);
  }

  /**
   * On PostgreSQL, as a named prepared statement straight on the pool: each connection
   * parses and plans it once instead of on every request (the tasks-list benchmark in
   * test/bench/RESULTS.md measured what that is worth). The statement names its columns,
   * so a migration that adds one does not invalidate it. Elsewhere through TypeORM.
   */
  private async run(text: string, parameters: unknown[]): Promise<Array<Record<string, unknown>>> {
    if (!this.onPostgres) return this.dataSource.query(text, parameters);
    let name = this.statementNames.get(text);
    if (name === undefined) {
      name = `kiln_hot_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
      if (this.statementNames.size >= MAX_SHAPES) this.statementNames.clear();
      this.statementNames.set(text, name);
    }
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    return (await pool.query({ name, text, values: parameters })).rows;
  }
}

/**
 * A function that turns one raw row into an entity object literal with every column.
 * Generated once per entity so each object gets the same fixed shape (a plain object
 * filled key by key in a loop ends up a slow dictionary in V8, and so does everything
 * downstream that reads or serializes it). Keys come from entity metadata, not input.
 * Columns node-postgres already gives in their final form are read as they are (see
 * column-reading.ts); the others go through the driver's conversion.
 */
export function compileRowMapper<T>(
  dataSource: DataSource,
  metadata: EntityMetadata,
  alias: string,
): (row: Record<string, unknown>) => T {
  const { driver } = dataSource;
  const { columns } = metadata;
  const onPostgres = DatabaseDialect.of(dataSource).isPostgres;
  const fields = columns.map((column, index) => {
    const value = `row[${JSON.stringify(`${alias}_${column.databaseName}`)}]`;
    const read =
      onPostgres && isReadAsIsOnPostgres(column)
        ? value
        : `driver.prepareHydratedValue(${value}, columns[${index}])`;
    return `${JSON.stringify(column.propertyName)}: ${read}`;
  });
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- see the comment above
  const build = new Function('driver', 'columns', 'row', `return { ${fields.join(', ')} };`);
  return (row) => build(driver, columns, row) as T;
}
