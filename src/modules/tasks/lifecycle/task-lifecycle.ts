// Every status change of a task, by name. Each operation moves the task along the state
// machine's table (task-status.ts) and its current attempt along the attempt's
// (attempt-status.ts), so no caller builds a transition itself. A task move is one
// conditional UPDATE with its event row: whoever loses the race gets null and must do
// nothing further (docs/architecture.md, rule 1). Local listeners (the dispatcher's
// wake-up, the SSE stream, Prometheus) hear every change won here.
//
// Where an attempt ends, it is recorded before the task moves: if the process dies in
// between, the task is still active, so the reconciler looks at it again and finishes the
// move (an attempt update that already happened is a no-op). Where an attempt begins, the
// task moves first, since only the winner of that race may touch the attempt.
import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import type { TaskQueueConfig } from '../../../config/sections/tasks.config';
import { TaskAttempt } from '../persistence/entities/task-attempt.entity';
import { TaskEvent } from '../persistence/entities/task-event.entity';
import { Task } from '../persistence/entities/task.entity';
import { TaskAttemptRepository } from '../persistence/task-attempt.repository';
import { SYSTEM_ACTOR, TaskEventRepository } from '../persistence/task-event.repository';
import { TaskPatch, TaskRepository } from '../persistence/task.repository';
import { AttemptStatus, attemptSourcesOf } from './attempt-status';
import { TaskStatus, sourcesOf } from './task-status';

export interface TaskChange {
  task: Task;
  event: TaskEvent;
}

/** A task's attempt `attempt` that has ended, while the task is `from`. */
export interface EndedRun {
  task: Task;
  attempt: number;
  from: TaskStatus;
  /** How the attempt ended, as its row records it. */
  ended: AttemptEnd;
}

export interface AttemptEnd {
  status: AttemptStatus;
  reason: string | null;
  exitCode: number | null;
}

/** Who asked for a change on the API. */
export interface Requester {
  userId: string;
  username: string;
}

export interface RetryPlan {
  /** The event's reason. */
  reason: string;
  failureReason: string;
  retriesUsed: number;
  lostCount: number;
  notBefore: Date;
  exitCode: number | null;
}

interface Move {
  to: TaskStatus;
  /** Narrows the allowed sources further (they are always within the state machine's). */
  from?: readonly TaskStatus[];
  /** Only when the task is still on this attempt: a late actor of an older attempt loses. */
  attempt?: number;
  actor?: string;
  reason: string;
  patch?: TaskPatch;
}

@Injectable()
export class TaskLifecycle {
  readonly changes = new EventEmitter<{ change: [TaskChange] }>();

  constructor(
    private readonly tasks: TaskRepository,
    private readonly attempts: TaskAttemptRepository,
    private readonly events: TaskEventRepository,
  ) {
    this.changes.setMaxListeners(0);
  }

  /** The first event of a new task (written with it), told to local listeners. */
  created(change: TaskChange): void {
    this.changes.emit('change', change);
  }

  /** pending → queued: the task's next attempt, on `queue`. */
  async queue(task: Pick<Task, 'id' | 'attempt'>, queue: TaskQueueConfig): Promise<Task | null> {
    const attempt = task.attempt + 1;
    const queued = await this.move(task.id, {
      to: TaskStatus.Queued,
      from: [TaskStatus.Pending],
      attempt: task.attempt,
      reason: `attempt ${attempt} queued on ${queue.name} (${queue.runtime} executor)`,
      patch: { attempt, queuedAt: new Date(), notBefore: null },
    });
    if (queued) {
      await this.attempts.insertQueued({
        taskId: task.id,
        number: attempt,
        executor: queue.runtime,
        queuedAt: new Date(),
      });
    }
    return queued;
  }

  /**
   * queued → running for attempt `attempt`, and the attempt with it; null when the task
   * was cancelled, already launched, or is on another attempt. `executorOf` names the
   * runtime for an attempt row a crash left unwritten.
   */
  async start(
    taskId: string,
    attempt: number,
    runTokenHash: string,
    executorOf: (task: Task) => string,
  ): Promise<{ task: Task; attempt: TaskAttempt } | null> {
    const task = await this.move(taskId, {
      to: TaskStatus.Running,
      from: [TaskStatus.Queued],
      attempt,
      reason: `attempt ${attempt} started`,
      patch: { startedAt: new Date(), progressPermille: 0 },
    });
    if (!task) return null;
    const row = await this.attempts.moveOrCreate(
      {
        taskId,
        number: attempt,
        executor: executorOf(task),
        queuedAt: task.queuedAt ?? new Date(),
      },
      attemptSourcesOf(AttemptStatus.Running),
      AttemptStatus.Running,
      { startedAt: new Date(), runTokenHash },
    );
    return { task, attempt: row };
  }

  async succeed(run: EndedRun): Promise<Task | null> {
    await this.endAttempt(run);
    return this.finish(run, TaskStatus.Succeeded, 'the run exited with code 0', {
      exitCode: 0,
      progressPermille: 1000,
    });
  }

  async timeOut(run: EndedRun, reason: string): Promise<Task | null> {
    await this.endAttempt(run);
    return this.finish(run, TaskStatus.TimedOut, reason, { failureReason: reason });
  }

  async fail(run: EndedRun, reason: string, exitCode: number | null): Promise<Task | null> {
    await this.endAttempt(run);
    return this.finish(run, TaskStatus.Failed, reason, { exitCode, failureReason: reason });
  }

  /** Back to pending for another attempt once `plan.notBefore` has passed. */
  async retryLater(run: EndedRun, plan: RetryPlan): Promise<Task | null> {
    await this.endAttempt(run);
    return this.move(run.task.id, {
      to: TaskStatus.Pending,
      from: [run.from],
      attempt: run.attempt,
      reason: plan.reason,
      patch: {
        retriesUsed: plan.retriesUsed,
        lostCount: plan.lostCount,
        notBefore: plan.notBefore,
        exitCode: plan.exitCode,
        failureReason: plan.failureReason,
        progressPermille: 0,
      },
    });
  }

  /** running → lost: the runtime lost the run; what follows is decided from `lost`. */
  async markLost(run: EndedRun, reason: string): Promise<Task | null> {
    await this.endAttempt(run);
    return this.move(run.task.id, {
      to: TaskStatus.Lost,
      from: [run.from],
      attempt: run.attempt,
      reason,
      patch: { failureReason: reason },
    });
  }

  /** pending → failed: a task it depends on ended without succeeding. */
  failBlocked(taskId: string, reason: string): Promise<Task | null> {
    return this.move(taskId, {
      to: TaskStatus.Failed,
      from: [TaskStatus.Pending],
      reason,
      patch: { failureReason: reason, finishedAt: new Date() },
    });
  }

  /**
   * A user's cancel of a task in `task.status`: a running task becomes cancelling (the
   * reconciler stops its run), one that has not started is cancelled with its attempt.
   * Null when the task moved meanwhile.
   */
  async requestCancel(task: Task, by: Requester): Promise<Task | null> {
    const running = task.status === TaskStatus.Running;
    const cancelled = await this.move(task.id, {
      to: running ? TaskStatus.Cancelling : TaskStatus.Cancelled,
      from: [task.status],
      actor: by.userId,
      reason: `cancelled by ${by.username}`,
      patch: running ? {} : { finishedAt: new Date() },
    });
    if (cancelled && !running && cancelled.attempt > 0) {
      await this.attempts.move(
        cancelled.id,
        cancelled.attempt,
        attemptSourcesOf(AttemptStatus.Cancelled),
        AttemptStatus.Cancelled,
        { finishedAt: new Date(), exitCode: null, reason: `cancelled by ${by.username}` },
      );
    }
    return cancelled;
  }

  /** cancelling → cancelled once the run is stopped (or never started). */
  async finishCancel(task: Task, reason: string): Promise<Task | null> {
    await this.attempts.move(
      task.id,
      task.attempt,
      attemptSourcesOf(AttemptStatus.Cancelled),
      AttemptStatus.Cancelled,
      { finishedAt: new Date(), exitCode: null, reason: null },
    );
    return this.move(task.id, {
      to: TaskStatus.Cancelled,
      from: [TaskStatus.Cancelling],
      reason,
      patch: { finishedAt: new Date() },
    });
  }

  /** A user's retry of a failed, timed-out or cancelled task, its retries restored. */
  restart(taskId: string, by: Requester): Promise<Task | null> {
    return this.move(taskId, {
      to: TaskStatus.Pending,
      from: [TaskStatus.Failed, TaskStatus.TimedOut, TaskStatus.Cancelled],
      actor: by.userId,
      reason: `retried by ${by.username}`,
      patch: {
        retriesUsed: 0,
        lostCount: 0,
        notBefore: null,
        exitCode: null,
        failureReason: null,
        finishedAt: null,
        progressPermille: 0,
      },
    });
  }

  /** Records an event that is not a status change (progress), and tells local listeners. */
  async recordProgress(task: Task, permille: number): Promise<void> {
    const event = await this.events.insert(task, {
      kind: 'progress',
      attempt: task.attempt,
      progressPermille: permille,
    });
    this.changes.emit('change', { task, event });
  }

  private endAttempt({ task, attempt, ended }: EndedRun): Promise<boolean> {
    return this.attempts.move(task.id, attempt, attemptSourcesOf(ended.status), ended.status, {
      finishedAt: new Date(),
      exitCode: ended.exitCode,
      reason: ended.reason,
    });
  }

  /** The task's end, from the status the run left it in. */
  private finish(run: EndedRun, to: TaskStatus, reason: string, patch: TaskPatch) {
    return this.move(run.task.id, {
      to,
      from: [run.from],
      attempt: run.attempt,
      reason,
      patch: { ...patch, finishedAt: new Date() },
    });
  }

  private async move(taskId: string, move: Move): Promise<Task | null> {
    const change = await this.tasks.moveStatus(taskId, {
      to: move.to,
      from: sourcesOf(move.to).filter((s) => !move.from || move.from.includes(s)),
      attempt: move.attempt,
      actor: move.actor ?? SYSTEM_ACTOR,
      reason: move.reason,
      patch: move.patch ?? {},
    });
    if (change) this.changes.emit('change', change);
    return change?.task ?? null;
  }
}
