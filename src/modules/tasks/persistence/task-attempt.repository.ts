// The task_attempts table: one row per try of a task on a runtime.
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { In, IsNull, Repository } from 'typeorm';
import type { RunHandle } from '../../runtimes';
import { AttemptStatus } from '../lifecycle/attempt-status';
import { TaskAttempt } from './entities/task-attempt.entity';

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

@Injectable()
export class TaskAttemptRepository {
  constructor(@InjectRepository(TaskAttempt) private readonly attempts: Repository<TaskAttempt>) {}

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
    const existing = await repository.findOneBy({ taskId: attempt.taskId, number: attempt.number });
    const patch = { ...fields, status: to };
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

  /** The running attempt of `taskId` whose run token hashes to `runTokenHash`. */
  runningWithToken(taskId: string, runTokenHash: string): Promise<TaskAttempt | null> {
    return this.attempts.findOneBy({ taskId, runTokenHash, status: AttemptStatus.Running });
  }
}
