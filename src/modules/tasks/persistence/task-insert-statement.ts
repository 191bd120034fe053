// A new task, its labels, its dependencies and its first event as one PostgreSQL
// statement. Written the general way (a transaction: BEGIN, an INSERT per table, COMMIT),
// a submit costs four round trips and TypeORM's insert machinery for each row; here it
// is one round trip, and the SQL of each shape is generated once.
//
// The statement is a WITH of data-modifying INSERTs, atomic like a transaction: it
// writes every row or none. The foreign keys from the labels, dependencies and event to
// the task are checked at the end of the statement, when the task's row is there; a
// dependency on a task deleted meanwhile fails it as in the transaction.
import type { DataSource, EntityMetadata } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { columnOf } from '../../../infra/database/conditional-transition';
import { columnsNamedFor, compileRowMapper } from '../../../infra/database/hot-query';
import { TaskDependency } from './entities/task-dependency.entity';
import { TaskEvent } from './entities/task-event.entity';
import { TaskLabel } from './entities/task-label.entity';
import { Task } from './entities/task.entity';

const EVENT_ALIAS = 'e';

/** Statements kept at most; a shape is a set of unset columns, so there are few. */
const MAX_SHAPES = 32;

export class TaskInsertStatement {
  private readonly tasks: EntityMetadata;
  private readonly events: EntityMetadata;
  private readonly labels: EntityMetadata;
  private readonly dependencies: EntityMetadata;
  private readonly toEvent: (row: Record<string, unknown>) => TaskEvent;
  private readonly sqlByShape = new Map<string, string>();

  constructor(private readonly dataSource: DataSource) {
    this.tasks = dataSource.getMetadata(Task);
    this.events = dataSource.getMetadata(TaskEvent);
    this.labels = dataSource.getMetadata(TaskLabel);
    this.dependencies = dataSource.getMetadata(TaskDependency);
    this.toEvent = compileRowMapper<TaskEvent>(dataSource, this.events, EVENT_ALIAS);
  }

  /** Writes `task` with `event`; returns the event as stored (its id and time). */
  async insert(task: Task, event: TaskEvent): Promise<TaskEvent> {
    // A column left undefined takes the database's default, as TypeORM's insert does.
    const taskColumns = this.tasks.columns.filter((c) => c.getEntityValue(task) !== undefined);
    const eventColumns = this.events.columns.filter((c) => c.getEntityValue(event) !== undefined);
    const labels = Object.entries(task.labels ?? {});
    const parameters = [
      ...taskColumns.map((column) => this.stored(column, task)),
      ...eventColumns.map((column) => this.stored(column, event)),
      labels.map(([key]) => key),
      labels.map(([, value]) => value),
      task.dependsOn ?? [],
    ];
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      this.sqlFor(taskColumns, eventColumns),
      parameters,
    );
    return this.toEvent(rows[0]);
  }

  private sqlFor(taskColumns: ColumnMetadata[], eventColumns: ColumnMetadata[]): string {
    const shape = [...taskColumns, ...eventColumns].map((c) => c.databaseName).join(',');
    let sql = this.sqlByShape.get(shape);
    if (sql === undefined) {
      sql = this.build(taskColumns, eventColumns);
      if (this.sqlByShape.size >= MAX_SHAPES) this.sqlByShape.clear();
      this.sqlByShape.set(shape, sql);
    }
    return sql;
  }

  private build(taskColumns: ColumnMetadata[], eventColumns: ColumnMetadata[]): string {
    let position = 0;
    const placeholders = (columns: ColumnMetadata[]) =>
      columns.map((column) => `$${++position}::${this.typeOf(column)}`).join(', ');
    const taskValues = placeholders(taskColumns);
    const eventValues = placeholders(eventColumns);
    const [labelKeys, labelValues, dependsOn] = [++position, ++position, ++position];
    const taskId = `$${1 + taskColumns.findIndex((column) => column.propertyName === 'id')}::uuid`;
    const label = (property: string) => columnOf(this.labels, property);
    const dependency = (property: string) => columnOf(this.dependencies, property);
    const returned = columnsNamedFor(this.dataSource, this.events, EVENT_ALIAS);
    return `
      WITH task AS (
        INSERT INTO ${this.table(this.tasks)} (${this.names(taskColumns)}) VALUES (${taskValues})
      ), labels AS (
        INSERT INTO ${this.table(this.labels)} (${this.names([label('taskId'), label('key'), label('value')])})
        SELECT ${taskId}, l.key, l.value
          FROM unnest($${labelKeys}::${this.typeOf(label('key'))}[],
                      $${labelValues}::${this.typeOf(label('value'))}[]) AS l(key, value)
      ), dependencies AS (
        INSERT INTO ${this.table(this.dependencies)} (${this.names([dependency('taskId'), dependency('dependsOnId')])})
        SELECT ${taskId}, unnest($${dependsOn}::uuid[])
      )
      INSERT INTO ${this.table(this.events)} (${this.names(eventColumns)}) VALUES (${eventValues})
      RETURNING ${returned.join(', ')}`;
  }

  /** The value of `column` in `entity` as the driver stores it. */
  private stored(column: ColumnMetadata, entity: object): unknown {
    return this.dataSource.driver.preparePersistentValue(column.getEntityValue(entity), column);
  }

  private names(columns: ColumnMetadata[]): string {
    return columns.map((column) => this.escape(column.databaseName)).join(', ');
  }

  private typeOf(column: ColumnMetadata): string {
    return this.dataSource.driver.normalizeType(column);
  }

  private table(metadata: EntityMetadata): string {
    return this.escape(metadata.tableName);
  }

  private escape(name: string): string {
    return this.dataSource.driver.escape(name);
  }
}
