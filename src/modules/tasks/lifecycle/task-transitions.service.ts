// Moves tasks between statuses along the state machine's table (task-status.ts): the
// repository's conditional move wins or loses the race, and whoever loses gets null and
// must do nothing further (docs/architecture.md, rule 1). Local listeners hear every
// change won here.
import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { TaskEvent } from '../persistence/entities/task-event.entity';
import { Task } from '../persistence/entities/task.entity';
import { SYSTEM_ACTOR, TaskEventRepository } from '../persistence/task-event.repository';
import { TaskPatch, TaskRepository } from '../persistence/task.repository';
import { TaskStatus, sourcesOf } from './task-status';

export { SYSTEM_ACTOR };
export type { TaskPatch };

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

  constructor(
    private readonly tasks: TaskRepository,
    private readonly events: TaskEventRepository,
  ) {
    this.changes.setMaxListeners(0);
  }

  /** Returns the updated task, or null when it was not in an allowed status (or attempt). */
  async move(taskId: string, request: TransitionRequest): Promise<Task | null> {
    const change = await this.tasks.moveStatus(taskId, {
      to: request.to,
      from: sourcesOf(request.to).filter((s) => !request.from || request.from.includes(s)),
      attempt: request.attempt,
      actor: request.actor,
      reason: request.reason ?? null,
      patch: request.patch ?? {},
    });
    if (change) this.changes.emit('change', change);
    return change?.task ?? null;
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

  /** Tells local listeners about a change committed elsewhere (used after a create). */
  announce(change: TaskChange): void {
    this.changes.emit('change', change);
  }
}
