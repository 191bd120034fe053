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
  private readonly statements = new Map<string, PreparedStatement<T>>();
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
    const metadata = qb.expressionMap.mainAlias!.metadata;
    if (this.onPostgres) return this.runPrepared(text, parameters, metadata);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(text, parameters);
    this.toEntity ??= compileRowMapper<T>(this.dataSource, metadata, this.alias);
    return rows.map(this.toEntity);
  }

  /**
   * On PostgreSQL, as a named prepared statement straight on the pool: each connection
   * parses and plans it once instead of on every request (the tasks-list benchmark in
   * test/bench/RESULTS.md measured what that is worth). The statement names its columns,
   * so a migration that adds one does not invalidate it. Rows come as arrays, not as
   * objects keyed by column: a page of 50 rows of 37 columns is then 50 small arrays
   * rather than 50 objects built key by key, and the entity mapper reads by position.
   */
  private async runPrepared(
    text: string,
    parameters: unknown[],
    metadata: EntityMetadata,
  ): Promise<T[]> {
    let statement = this.statements.get(text);
    if (statement === undefined) {
      const name = `kiln_hot_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
      if (this.statements.size >= MAX_SHAPES) this.statements.clear();
      statement = { name };
      this.statements.set(text, statement);
    }
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    const result = await pool.query<unknown[]>({
      name: statement.name,
      text,
      values: parameters,
      rowMode: 'array',
    });
    statement.toEntity ??= compileRowMapper<T>(
      this.dataSource,
      metadata,
      this.alias,
      new Map(result.fields.map((field, index) => [field.name, index])),
    );
    return result.rows.map(statement.toEntity);
  }
}

/** A statement prepared on each connection under `name`, and how its rows become entities. */
interface PreparedStatement<T> {
  name: string;
  toEntity?: (row: unknown[]) => T;
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
): (row: Record<string, unknown>) => T;
/** The same for rows read as arrays, given each column's position by its name. */
export function compileRowMapper<T>(
  dataSource: DataSource,
  metadata: EntityMetadata,
  alias: string,
  positions: ReadonlyMap<string, number>,
): (row: unknown[]) => T;
export function compileRowMapper<T>(
  dataSource: DataSource,
  metadata: EntityMetadata,
  alias: string,
  positions?: ReadonlyMap<string, number>,
): (row: never) => T {
  const { driver } = dataSource;
  const { columns } = metadata;
  const onPostgres = DatabaseDialect.of(dataSource).isPostgres;
  const fields = columns.map((column, index) => {
    const value = `row[${positionOf(`${alias}_${column.databaseName}`, positions)}]`;
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

/**
 * Every column of `metadata`, each selected as `<alias>_<column>` for compileRowMapper:
 * from `source` when given (a CTE's name), else unqualified (a RETURNING list).
 */
export function columnsNamedFor(
  dataSource: DataSource,
  metadata: EntityMetadata,
  alias: string,
  source?: string,
): string[] {
  const escape = (name: string) => dataSource.driver.escape(name);
  const from = source === undefined ? '' : `${source}.`;
  return metadata.columns.map(
    ({ databaseName }) => `${from}${escape(databaseName)} AS ${escape(`${alias}_${databaseName}`)}`,
  );
}

/** How the generated code reads column `key`: by its name, or by its position. */
function positionOf(key: string, positions: ReadonlyMap<string, number> | undefined): string {
  if (!positions) return JSON.stringify(key);
  const position = positions.get(key);
  if (position === undefined) throw new Error(`The query does not select column ${key}.`);
  return String(position);
}
