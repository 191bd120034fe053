// Moves tasks between statuses: one conditional UPDATE (the WHERE clause names the
// statuses the state machine allows to reach the target) and its event row, in one
// transaction. Whoever loses the race gets `false` and must do nothing further, which
// is what makes duplicate launch jobs, two leaders for a moment, or a late reconciler
// harmless (docs/architecture.md, rule 1). On PostgreSQL the same move is one statement
// (postgres-transition.ts).
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { EventEmitter } from 'node:events';
import { DataSource, EntityManager, In } from 'typeorm';
import { TaskEvent } from '../persistence/entities/task-event.entity';
import { Task } from '../persistence/entities/task.entity';
import { PostgresTransition } from './postgres-transition';
import { TaskStatus, sourcesOf } from './task-status';
import { inTransaction } from '../../../infra/database/transaction';

export const SYSTEM_ACTOR = 'system';

export type TaskPatch = Partial<Omit<Task, 'hyperparameters'>>;

export interface TransitionRequest {
  to: TaskStatus;
  /** Narrows the allowed sources further (they are always within the state machine's). */
  from?: readonly TaskStatus[];
  /** Only when the task is still on this attempt: a late actor of an older attempt loses. */
  attempt?: number;
  actor: string;
  reason?: string | null;
  /** Other columns changed together with the status (the spec itself never changes). */
  patch?: TaskPatch;
}

export interface TaskChange {
  task: Task;
  event: TaskEvent;
}

@Injectable()
export class TaskTransitions {
  /** Local listeners (the dispatcher's wake-up, the SSE stream) hear every change won here. */
  readonly changes = new EventEmitter<{ change: [TaskChange] }>();
  /** The same move in one statement, where the database can do that (PostgreSQL). */
  private readonly oneStatement?: PostgresTransition;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.changes.setMaxListeners(0);
    if (dataSource.options.type === 'postgres')
      this.oneStatement = new PostgresTransition(dataSource);
  }

  /** Returns the updated task, or null when it was not in an allowed status (or attempt). */
  async move(taskId: string, request: TransitionRequest): Promise<Task | null> {
    const allowed = sourcesOf(request.to).filter((s) => !request.from || request.from.includes(s));
    const change = this.oneStatement
      ? await this.oneStatement.move(taskId, request, allowed)
      : await inTransaction(this.dataSource, (manager) =>
          this.moveWith(manager, taskId, request, allowed),
        );
    if (change) this.changes.emit('change', change);
    return change?.task ?? null;
  }

  private async moveWith(
    manager: EntityManager,
    taskId: string,
    request: TransitionRequest,
    allowed: TaskStatus[],
  ): Promise<TaskChange | null> {
    const before = await manager.findOne(Task, {
      where: { id: taskId, status: In(allowed) },
      select: { id: true, status: true },
    });
    if (!before) return null;
    // Conditional on the status just read, so the event's `from` is exactly what changed.
    const where: Record<string, unknown> = { id: taskId, status: before.status };
    if (request.attempt !== undefined) where.attempt = request.attempt;
    const result = await manager.update(Task, where, {
      ...request.patch,
      status: request.to,
      version: () => 'version + 1',
      updatedAt: new Date(),
    });
    if (!result.affected) return null;
    const task = await manager.findOneByOrFail(Task, { id: taskId });
    const event = await manager.save(
      eventOf(task, {
        fromStatus: before.status,
        attempt: task.attempt || null,
        actor: request.actor,
        reason: request.reason ?? null,
      }),
    );
    return { task, event };
  }

  /** Records an event that is not a status change (progress), and tells local listeners. */
  async recordProgress(task: Task, permille: number): Promise<void> {
    const event = await this.dataSource.manager.save(
      eventOf(task, { kind: 'progress', attempt: task.attempt, progressPermille: permille }),
    );
    this.changes.emit('change', { task, event });
  }

  /** Tells local listeners about a change committed elsewhere (used after a create). */
  announce(change: TaskChange): void {
    this.changes.emit('change', change);
  }
}

/** An event row about `task` as it is now (its status is the event's `to`). */
function eventOf(task: Task, fields: Partial<TaskEvent>): TaskEvent {
  return Object.assign(new TaskEvent(), {
    taskId: task.id,
    ownerId: task.ownerId,
    kind: 'status',
    fromStatus: null,
    toStatus: task.status,
    attempt: null,
    progressPermille: null,
    actor: SYSTEM_ACTOR,
    reason: null,
    ...fields,
  });
}
