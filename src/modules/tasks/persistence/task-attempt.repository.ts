// The task_attempts table: one row per try of a task on a runtime.
//
// On PostgreSQL the two writes on a launch's path return what the launch needs next
// (RETURNING), saving it a read each: a status move returns the row, and the handle's
// write returns where the task stands. SQLite, in process, reads separately.
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { In, IsNull, Repository } from 'typeorm';
import { DatabaseDialect } from '../../../infra/database/dialect';
import { columnsNamedFor, compileRowMapper } from '../../../infra/database/hot-query';
import type { RunHandle } from '../../runtimes';
import { AttemptStatus } from '../lifecycle/attempt-status';
import type { TaskStatus } from '../lifecycle/task-status';
import { TaskAttempt } from './entities/task-attempt.entity';
import { Task } from './entities/task.entity';

export interface NewAttempt {
  taskId: string;
  number: number;
  executor: string;
  queuedAt: Date;
}

export interface AttemptEnd {
  exitCode: number | null;
  reason: string | null;
}

/** Where a task stands: its status and current attempt. */
export interface TaskState {
  status: TaskStatus;
  attempt: number;
}

const ROW_ALIAS = 'a';

@Injectable()
export class TaskAttemptRepository {
  private readonly onPostgres: boolean;
  /** The RETURNING list of every column, named for `toAttempt`. */
  private readonly everyColumn: string;
  private readonly toAttempt: (row: Record<string, unknown>) => TaskAttempt;
  /** The RETURNING list of the handle's write: the status and attempt of the row's task. */
  private readonly itsTaskState: string;

  constructor(
    @InjectRepository(TaskAttempt) private readonly attempts: Repository<TaskAttempt>,
    dialect: DatabaseDialect,
  ) {
    this.onPostgres = dialect.isPostgres;
    const { metadata, manager } = attempts;
    const { connection } = manager;
    this.everyColumn = columnsNamedFor(connection, metadata, ROW_ALIAS).join(', ');
    this.toAttempt = compileRowMapper<TaskAttempt>(connection, metadata, ROW_ALIAS);
    const escape = (name: string) => connection.driver.escape(name);
    const tasks = escape(connection.getMetadata(Task).tableName);
    const ofThisTask = `t.id = ${escape(metadata.tableName)}.${escape('task_id')}`;
    this.itsTaskState =
      `(SELECT t.status FROM ${tasks} t WHERE ${ofThisTask}) AS status, ` +
      `(SELECT t.attempt FROM ${tasks} t WHERE ${ofThisTask}) AS attempt`;
  }

  async insertQueued(attempt: NewAttempt): Promise<void> {
    await this.attempts.insert({
      id: randomUUID(),
      ...attempt,
      status: AttemptStatus.Queued,
      handle: null,
      runTokenHash: null,
    });
  }

  /**
   * Moves attempt `number` to `to` if its status is one of `from`, with `fields`;
   * creates it in that status when it has no row (a crash between the task's move and
   * the attempt's insert left none). Returns the row as it now is.
   */
  async moveOrCreate(
    attempt: NewAttempt,
    from: readonly AttemptStatus[],
    to: AttemptStatus,
    fields: Partial<TaskAttempt>,
  ): Promise<TaskAttempt> {
    const repository = this.attempts;
    const patch = { ...fields, status: to };
    if (this.onPostgres) {
      const moved = await this.moveReturningRow(attempt.taskId, attempt.number, from, patch);
      if (moved) return moved;
    }
    const existing = await repository.findOneBy({ taskId: attempt.taskId, number: attempt.number });
    if (existing) {
      await repository.update({ id: existing.id, status: In([...from]) }, patch);
      return { ...existing, ...patch };
    }
    const row = repository.create({
      id: randomUUID(),
      ...attempt,
      handle: null,
      runTokenHash: null,
      ...patch,
    });
    await repository.insert(row);
    return row;
  }

  /** Moves attempt `number` to `to` if its status is one of `from`; false when not. */
  async move(
    taskId: string,
    number: number,
    from: readonly AttemptStatus[],
    to: AttemptStatus,
    fields: Partial<TaskAttempt> = {},
  ): Promise<boolean> {
    const result = await this.attempts.update(
      { taskId, number, status: In([...from]) },
      { ...fields, status: to },
    );
    return Boolean(result.affected);
  }

  async recordHandle(taskId: string, number: number, handle: RunHandle): Promise<void> {
    await this.attempts.update({ taskId, number }, { handle });
  }

  /**
   * Records the handle and returns the task's state as of that write, read in the same
   * statement on PostgreSQL; undefined where it was not read (SQLite, or no attempt row),
   * for the caller to read after this returns.
   */
  async recordHandleReadingTask(
    taskId: string,
    number: number,
    handle: RunHandle,
  ): Promise<TaskState | undefined> {
    if (!this.onPostgres) {
      await this.recordHandle(taskId, number, handle);
      return undefined;
    }
    const result = await this.attempts
      .createQueryBuilder()
      .update()
      .set({ handle })
      .where({ taskId, number })
      .returning(this.itsTaskState)
      .execute();
    const rows = result.raw as Array<{ status: TaskStatus | null; attempt: number | null }>;
    const row = rows[0];
    if (!row || row.status === null || row.attempt === null) return undefined;
    return { status: row.status, attempt: row.attempt };
  }

  /** Records a handle found for an attempt that has none; a recorded one is kept. */
  async adoptHandle(attemptId: string, handle: RunHandle): Promise<void> {
    await this.attempts.update({ id: attemptId, handle: IsNull() }, { handle });
  }

  forTask(taskId: string): Promise<TaskAttempt[]> {
    return this.attempts.find({ where: { taskId }, order: { number: 'ASC' } });
  }

  one(taskId: string, number: number): Promise<TaskAttempt | null> {
    return this.attempts.findOneBy({ taskId, number });
  }

  /** The attempts numbered as given per task, in one query rather than one per task. */
  async current(numbers: ReadonlyMap<string, number>): Promise<Map<string, TaskAttempt>> {
    if (numbers.size === 0) return new Map();
    const rows = await this.attempts.findBy({ taskId: In([...numbers.keys()]) });
    return new Map(
      rows
        .filter((attempt) => numbers.get(attempt.taskId) === attempt.number)
        .map((attempt) => [attempt.taskId, attempt]),
    );
  }

  /** `move` in one statement that returns the row as it now is; null when it did not match. */
  private async moveReturningRow(
    taskId: string,
    number: number,
    from: readonly AttemptStatus[],
    patch: Partial<TaskAttempt>,
  ): Promise<TaskAttempt | null> {
    const result = await this.attempts
      .createQueryBuilder()
      .update()
      .set(patch)
      .where({ taskId, number, status: In([...from]) })
      .returning(this.everyColumn)
      .execute();
    const rows = result.raw as Array<Record<string, unknown>>;
    return rows.length ? this.toAttempt(rows[0]) : null;
  }

  /** The running attempt of `taskId` whose run token hashes to `runTokenHash`. */
  runningWithToken(taskId: string, runTokenHash: string): Promise<TaskAttempt | null> {
    return this.attempts.findOneBy({ taskId, runTokenHash, status: AttemptStatus.Running });
  }
}
