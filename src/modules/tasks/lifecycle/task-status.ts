// The one state machine of a training task (docs/architecture.md, rule 2). Every status change goes
// through `assertTransition` and is written as a conditional UPDATE whose WHERE clause
// names the allowed source statuses, so a duplicate or late actor cannot win.
import { ConflictError } from '../../../common/errors/domain-error';

export enum TaskStatus {
  Pending = 'pending',
  Queued = 'queued',
  Running = 'running',
  Cancelling = 'cancelling',
  Lost = 'lost',
  Succeeded = 'succeeded',
  Failed = 'failed',
  TimedOut = 'timed_out',
  Cancelled = 'cancelled',
}

export const TASK_STATUSES = Object.values(TaskStatus);

/** From each status, the statuses it may move to. Everything else is refused. */
export const TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  // failed while pending: a task it depends on ended without succeeding
  [TaskStatus.Pending]: [TaskStatus.Queued, TaskStatus.Cancelled, TaskStatus.Failed],
  [TaskStatus.Queued]: [TaskStatus.Running, TaskStatus.Pending, TaskStatus.Cancelled],
  [TaskStatus.Running]: [
    TaskStatus.Succeeded,
    TaskStatus.Failed,
    TaskStatus.TimedOut,
    TaskStatus.Lost,
    TaskStatus.Cancelling,
    // a failed attempt with retries left goes straight back to the queue
    TaskStatus.Pending,
  ],
  [TaskStatus.Cancelling]: [TaskStatus.Cancelled],
  [TaskStatus.Lost]: [TaskStatus.Pending, TaskStatus.Failed, TaskStatus.Cancelled],
  [TaskStatus.Succeeded]: [],
  // manual retry (POST /tasks/:id/retry)
  [TaskStatus.Failed]: [TaskStatus.Pending],
  [TaskStatus.TimedOut]: [TaskStatus.Pending],
  [TaskStatus.Cancelled]: [TaskStatus.Pending],
};

export const FINAL_STATUSES: readonly TaskStatus[] = [
  TaskStatus.Succeeded,
  TaskStatus.Failed,
  TaskStatus.TimedOut,
  TaskStatus.Cancelled,
];

/** Statuses that hold a slot of their queue's capacity. */
export const ACTIVE_STATUSES: readonly TaskStatus[] = [
  TaskStatus.Queued,
  TaskStatus.Running,
  TaskStatus.Cancelling,
];

export function isFinal(status: TaskStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

/** The statuses from which `to` may be reached. */
export function sourcesOf(to: TaskStatus): TaskStatus[] {
  return TASK_STATUSES.filter((from) => TRANSITIONS[from].includes(to));
}

export class TaskStateConflictError extends ConflictError {}

export function assertTransition(from: TaskStatus, to: TaskStatus, what = 'The task'): void {
  if (!TRANSITIONS[from].includes(to)) {
    throw new TaskStateConflictError(`${what} is ${from}; it cannot become ${to}.`);
  }
}
