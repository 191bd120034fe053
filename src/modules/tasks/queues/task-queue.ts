// A task queue as the rest of the tasks module sees it: the YAML shape plus what only
// the database holds (who may submit by user id, whether dispatch is paused).
import { InvalidInputError } from '../../../common/errors/domain-error';
import { TaskQueueConfig } from '../../../config/sections/tasks.config';
import { TaskQueueRow } from './task-queue.entity';

export interface TaskQueue extends TaskQueueConfig {
  /** User ids that may submit whatever their role. */
  allowedUsers?: string[];
  /** A paused queue takes submits and dispatches nothing. */
  paused: boolean;
  /** Bounds of a task's priority on this queue; unset: the API's own range. */
  minPriority?: number;
  maxPriority?: number;
}

export function queueOfRow(row: TaskQueueRow): TaskQueue {
  return {
    name: row.name,
    runtime: row.runtime,
    maxRunning: row.maxRunning,
    maxGpus: row.maxGpus,
    allowedRoles: row.allowedRoles ?? undefined,
    allowedUsers: row.allowedUsers ?? undefined,
    defaultResources: { ...row.defaultResources },
    paused: row.paused,
    minPriority: row.minPriority ?? undefined,
    maxPriority: row.maxPriority ?? undefined,
  };
}

export function rowOfQueue(queue: TaskQueue): TaskQueueRow {
  return Object.assign(new TaskQueueRow(), {
    name: queue.name,
    runtime: queue.runtime,
    maxRunning: queue.maxRunning,
    maxGpus: queue.maxGpus,
    allowedRoles: queue.allowedRoles ?? null,
    allowedUsers: queue.allowedUsers ?? null,
    defaultResources: {
      cpu: queue.defaultResources.cpu,
      memoryMiB: queue.defaultResources.memoryMiB,
      gpu: queue.defaultResources.gpu,
    },
    paused: queue.paused,
    minPriority: queue.minPriority ?? null,
    maxPriority: queue.maxPriority ?? null,
  });
}

/** A 400 naming `priority` when the queue's bounds leave it out. */
export function assertPriorityWithin(queue: TaskQueue, priority: number): void {
  const { minPriority, maxPriority } = queue;
  if (minPriority !== undefined && priority < minPriority) throw priorityOutside(queue);
  if (maxPriority !== undefined && priority > maxPriority) throw priorityOutside(queue);
}

function priorityOutside(queue: TaskQueue): InvalidInputError {
  const range = `${queue.minPriority ?? 'any'} to ${queue.maxPriority ?? 'any'}`;
  return new InvalidInputError(`Queue ${queue.name} takes priorities ${range}.`, [
    { field: 'priority', message: `must be within ${range} on queue ${queue.name}` },
  ]);
}
