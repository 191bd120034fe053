// A status change that is safe against every race (docs/architecture.md, rule 1): one
// conditional `UPDATE … WHERE id = ? AND status IN (…)` that reports whether it won,
// plus the event row that records it, written together. Whoever loses the race gets
// null and must do nothing further, which is what makes duplicate jobs, two leaders for
// a moment, or a late actor harmless. Any table with an `id` and a `status` column and
// an event table can use it.
//
// On PostgreSQL the move is one statement. The portable path takes six round trips
// (BEGIN, read the status, the conditional UPDATE, read the row back, INSERT the event,
// COMMIT); each costs both sides a socket write and a wake-up, which is most of what a
// small status change costs. In the one statement:
//   - `before` locks the row if its status (and the other conditions) allow the move,
//     keeping the status it had, which is the event's `from`;
//   - `moved` updates that row and returns it as it now is;
//   - `event` inserts the event row built from it.
// A statement is atomic by itself. FOR UPDATE makes a concurrent mover wait for the
// first one's commit and then re-check its WHERE clause against the committed row, so
// exactly one of several racing moves wins, as with the portable path.
import type {
  DataSource,
  EntityManager,
  EntityMetadata,
  EntityTarget,
  FindOptionsSelect,
  FindOptionsWhere,
  ObjectLiteral,
} from 'typeorm';
import { In } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { DatabaseDialect } from './dialect';
import { columnsNamedFor, compileRowMapper } from './hot-query';
import { inTransaction } from './transaction';

/** Where a column of the event row comes from. */
export type EventValue<Row> =
  /** the moved row's column, as it is after the move; `nullIf` stores that value as null */
  | { column: keyof Row & string; nullIf?: unknown }
  /** the status the row had before the move */
  | { previousStatus: true }
  | { value: unknown };

export interface StatusRow extends ObjectLiteral {
  id: string;
  status: string;
}

export interface TransitionRequest<Row extends StatusRow, Event> {
  id: string;
  /** The statuses the row may be in for the move to happen. */
  from: readonly string[];
  /** Further equality conditions on the row. */
  where?: Partial<Row>;
  /** The new values, status included; an undefined value leaves its column alone. */
  set: Partial<Row>;
  /** Columns increased by one (a version). */
  increment?: ReadonlyArray<keyof Row & string>;
  event: { [K in keyof Event]?: EventValue<Row> };
}

export interface TransitionResult<Row, Event> {
  row: Row;
  event: Event;
}

const ROW_ALIAS = 'r';
const EVENT_ALIAS = 'e';

export class ConditionalTransition<Row extends StatusRow, Event extends ObjectLiteral> {
  private readonly rows: EntityMetadata;
  private readonly events: EntityMetadata;
  private readonly oneStatement?: OneStatementTransition<Row, Event>;

  constructor(
    private readonly dataSource: DataSource,
    dialect: DatabaseDialect,
    subject: EntityTarget<Row>,
    event: EntityTarget<Event>,
  ) {
    this.rows = dataSource.getMetadata(subject);
    this.events = dataSource.getMetadata(event);
    if (dialect.isPostgres)
      this.oneStatement = new OneStatementTransition(dataSource, this.rows, this.events);
  }

  /** The moved row and its event, or null when the row was not in an allowed state. */
  move(request: TransitionRequest<Row, Event>): Promise<TransitionResult<Row, Event> | null> {
    if (this.oneStatement) return this.oneStatement.move(request);
    return inTransaction(this.dataSource, (manager) => this.moveWith(manager, request));
  }

  private async moveWith(
    manager: EntityManager,
    request: TransitionRequest<Row, Event>,
  ): Promise<TransitionResult<Row, Event> | null> {
    const subject = this.rows.target as EntityTarget<Row>;
    const before = await manager.findOne(subject, {
      where: { id: request.id, status: In([...request.from]) } as FindOptionsWhere<Row>,
      select: { id: true, status: true } as FindOptionsSelect<Row>,
    });
    if (!before) return null;
    // Conditional on the status just read, so the event's `from` is exactly what changed.
    const where = { ...request.where, id: request.id, status: before.status };
    const increments = Object.fromEntries(
      (request.increment ?? []).map((property) => {
        const column = columnOf(this.rows, property).databaseName;
        return [property, () => `${this.dataSource.driver.escape(column)} + 1`];
      }),
    );
    const result = await manager.update(subject, where, {
      ...request.set,
      ...increments,
    });
    if (!result.affected) return null;
    const row = await manager.findOneByOrFail(subject, { id: request.id } as FindOptionsWhere<Row>);
    const fields = Object.fromEntries(
      Object.entries(request.event).map(([property, source]) => [
        property,
        valueOf(source as EventValue<Row>, row, before.status),
      ]),
    );
    const eventTarget = this.events.target as EntityTarget<Event>;
    const event = await manager.save(eventTarget, manager.create(eventTarget, fields as Event));
    return { row, event };
  }
}

function valueOf<Row extends StatusRow>(
  source: EventValue<Row>,
  row: Row,
  previousStatus: string,
): unknown {
  if ('previousStatus' in source) return previousStatus;
  if ('value' in source) return source.value;
  const value: unknown = row[source.column];
  return 'nullIf' in source && value === source.nullIf ? null : value;
}

export function columnOf(metadata: EntityMetadata, property: string): ColumnMetadata {
  // Property names come from code, never from input; an unknown one is a bug.
  const column = metadata.findColumnWithPropertyName(property);
  if (!column) throw new Error(`${metadata.name} has no column for ${property}`);
  return column;
}

/** The same move as one PostgreSQL statement (see the top of this file). */
class OneStatementTransition<Row extends StatusRow, Event extends ObjectLiteral> {
  private readonly toRow: (row: Record<string, unknown>) => Row;
  private readonly toEvent: (row: Record<string, unknown>) => Event;
  /** The final SELECT list: every row and event column, prefixed for the row mappers. */
  private readonly output: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly rows: EntityMetadata,
    private readonly events: EntityMetadata,
  ) {
    this.toRow = compileRowMapper<Row>(dataSource, rows, ROW_ALIAS);
    this.toEvent = compileRowMapper<Event>(dataSource, events, EVENT_ALIAS);
    this.output = [
      ...columnsNamedFor(dataSource, rows, ROW_ALIAS, 'moved'),
      ...columnsNamedFor(dataSource, events, EVENT_ALIAS, 'event'),
    ].join(', ');
  }

  async move(request: TransitionRequest<Row, Event>): Promise<TransitionResult<Row, Event> | null> {
    const parameters: unknown[] = [];
    const parameter = (value: unknown) => `$${parameters.push(value)}`;
    const status = columnOf(this.rows, 'status');
    const conditions = Object.entries(request.where ?? {}).map(
      ([property, value]) =>
        `AND ${this.name(columnOf(this.rows, property))} = ${this.stored(value, columnOf(this.rows, property), parameter)}`,
    );
    const [eventColumns, eventValues] = this.eventColumns(request, parameter);
    const sql = `
      WITH before AS (
        SELECT id, ${this.name(status)} AS previous_status FROM ${this.table(this.rows)}
         WHERE id = ${parameter(request.id)}
           AND ${this.name(status)} = ANY(${parameter(request.from)}::${this.typeOf(status)}[])
               ${conditions.join(' ')}
           FOR UPDATE
      ), moved AS (
        UPDATE ${this.table(this.rows)} t SET ${this.assignments(request, parameter)}
          FROM before WHERE t.id = before.id
        RETURNING t.*, before.previous_status
      ), event AS (
        INSERT INTO ${this.table(this.events)} (${eventColumns})
        SELECT ${eventValues} FROM moved
        RETURNING *
      )
      SELECT ${this.output} FROM moved, event`;
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(sql, parameters);
    if (rows.length === 0) return null;
    return { row: this.toRow(rows[0]), event: this.toEvent(rows[0]) };
  }

  /** The SET list: the increments, then the new values. */
  private assignments(
    request: TransitionRequest<Row, Event>,
    parameter: (value: unknown) => string,
  ): string {
    const assignments = (request.increment ?? []).map((property) => {
      const column = this.name(columnOf(this.rows, property));
      return `${column} = t.${column} + 1`;
    });
    for (const [property, value] of Object.entries(request.set)) {
      if (value === undefined) continue; // as in TypeORM's update: left as it is
      const column = columnOf(this.rows, property);
      assignments.push(`${this.name(column)} = ${this.stored(value, column, parameter)}`);
    }
    return assignments.join(', ');
  }

  /** The event's column list and, in the same order, the expressions over `moved`. */
  private eventColumns(
    request: TransitionRequest<Row, Event>,
    parameter: (value: unknown) => string,
  ): [string, string] {
    const columns: string[] = [];
    const values: string[] = [];
    for (const [property, source] of Object.entries(request.event)) {
      const column = columnOf(this.events, property);
      columns.push(this.name(column));
      values.push(this.expression(source as EventValue<Row>, column, parameter));
    }
    return [columns.join(', '), values.join(', ')];
  }

  private expression(
    source: EventValue<Row>,
    target: ColumnMetadata,
    parameter: (value: unknown) => string,
  ): string {
    if ('previousStatus' in source) return 'previous_status';
    if ('value' in source) return this.stored(source.value, target, parameter);
    const column = columnOf(this.rows, source.column);
    const value = this.name(column);
    if (!('nullIf' in source)) return value;
    return `NULLIF(${value}, ${this.stored(source.nullIf, column, parameter)})`;
  }

  /** A parameter holding `value` as `column` stores it, typed as that column. */
  private stored(
    value: unknown,
    column: ColumnMetadata,
    parameter: (value: unknown) => string,
  ): string {
    const prepared: unknown = this.dataSource.driver.preparePersistentValue(value, column);
    return `${parameter(prepared)}::${this.typeOf(column)}`;
  }

  private typeOf(column: ColumnMetadata): string {
    return this.dataSource.driver.normalizeType(column);
  }

  private name(column: ColumnMetadata): string {
    return this.dataSource.driver.escape(column.databaseName);
  }

  private table(metadata: EntityMetadata): string {
    return this.dataSource.driver.escape(metadata.tableName);
  }

  /** `source."column" AS "alias_column"` for every column, as the row mappers read them. */
}
