// A task transition on PostgreSQL in one statement. The portable path in TaskTransitions
// takes six round trips (BEGIN, read the status, the conditional UPDATE, read the row
// back, INSERT the event, COMMIT), and every task makes at least three transitions on
// its way to `succeeded`. Each round trip costs both Kiln and PostgreSQL a socket write
// and a wake-up, which is most of what a trivial task costs. One statement does it all:
//   - `before` locks the task row if its status (and attempt) allow the move, keeping
//     the status it had, which is the event's `from`;
//   - `moved` updates that row and returns it as it now is;
//   - `event` inserts the event row built from it.
// A statement is atomic by itself. FOR UPDATE makes a concurrent mover wait for the
// first one's commit and then re-check its WHERE clause against the committed row, so
// exactly one of several racing moves wins, as with the portable path.
import type { DataSource, EntityMetadata } from 'typeorm';
import { compileRowMapper } from '../../../infra/database/hot-query';
import { TaskEvent } from '../persistence/entities/task-event.entity';
import { Task } from '../persistence/entities/task.entity';
import type { TaskChange, TransitionRequest } from './task-transitions.service';
import type { TaskStatus } from './task-status';

const TASK_ALIAS = 't';
const EVENT_ALIAS = 'e';

export class PostgresTransition {
  private readonly tasks: EntityMetadata;
  private readonly events: EntityMetadata;
  private readonly toTask: (row: Record<string, unknown>) => Task;
  private readonly toEvent: (row: Record<string, unknown>) => TaskEvent;
  /** The final SELECT list: every task and event column, prefixed for the row mappers. */
  private readonly output: string;

  constructor(private readonly dataSource: DataSource) {
    this.tasks = dataSource.getMetadata(Task);
    this.events = dataSource.getMetadata(TaskEvent);
    this.toTask = compileRowMapper<Task>(dataSource, this.tasks, TASK_ALIAS);
    this.toEvent = compileRowMapper<TaskEvent>(dataSource, this.events, EVENT_ALIAS);
    this.output = [
      ...this.prefixedColumns(this.tasks, 'moved', TASK_ALIAS),
      ...this.prefixedColumns(this.events, 'event', EVENT_ALIAS),
    ].join(', ');
  }

  async move(
    taskId: string,
    request: TransitionRequest,
    allowed: readonly TaskStatus[],
  ): Promise<TaskChange | null> {
    const parameters: unknown[] = [];
    const parameter = (value: unknown) => `$${parameters.push(value)}`;
    const attemptCondition =
      request.attempt === undefined ? '' : `AND attempt = ${parameter(request.attempt)}`;
    const sql = `
      WITH before AS (
        SELECT id, status FROM tasks
         WHERE id = ${parameter(taskId)} AND status = ANY(${parameter(allowed)}::varchar[])
               ${attemptCondition}
           FOR UPDATE
      ), moved AS (
        UPDATE tasks t SET ${this.assignments(request, parameter)}
          FROM before WHERE t.id = before.id
        RETURNING t.*, before.status AS previous_status
      ), event AS (
        INSERT INTO task_events
               (task_id, owner_id, kind, from_status, to_status, attempt, progress_permille,
                actor, reason)
        SELECT id, owner_id, 'status', previous_status, status, NULLIF(attempt, 0), NULL,
               ${parameter(request.actor)}, ${parameter(request.reason ?? null)}
          FROM moved
        RETURNING *
      )
      SELECT ${this.output} FROM moved, event`;
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(sql, parameters);
    if (rows.length === 0) return null;
    return { task: this.toTask(rows[0]), event: this.toEvent(rows[0]) };
  }

  /** The SET list: the new status, the version and update time, and the patch. */
  private assignments(request: TransitionRequest, parameter: (value: unknown) => string): string {
    const driver = this.dataSource.driver;
    const assignments = [
      `status = ${parameter(request.to)}`,
      'version = t.version + 1',
      `updated_at = ${parameter(new Date())}`,
    ];
    for (const [property, value] of Object.entries(request.patch ?? {})) {
      if (value === undefined) continue; // as in TypeORM's update: left as it is
      // Property names come from code (TaskPatch), never from input; an unknown one is a bug.
      const column = this.tasks.findColumnWithPropertyName(property);
      if (!column) throw new Error(`Task has no column for ${property}`);
      const stored: unknown = driver.preparePersistentValue(value, column);
      assignments.push(`${driver.escape(column.databaseName)} = ${parameter(stored)}`);
    }
    return assignments.join(', ');
  }

  /** `source."column" AS "alias_column"` for every column, as the row mappers read them. */
  private prefixedColumns(metadata: EntityMetadata, source: string, alias: string): string[] {
    const escape = (name: string) => this.dataSource.driver.escape(name);
    return metadata.columns.map(
      ({ databaseName }) =>
        `${source}.${escape(databaseName)} AS ${escape(`${alias}_${databaseName}`)}`,
    );
  }
}
