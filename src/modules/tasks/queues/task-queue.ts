// A task queue as the rest of the tasks module sees it: the YAML shape plus what only
// the database holds (who may submit by user id, whether dispatch is paused).
import { TaskQueueConfig } from '../../../config/sections/tasks.config';
import { TaskQueueRow } from './task-queue.entity';

export interface TaskQueue extends TaskQueueConfig {
  /** User ids that may submit whatever their role. */
  allowedUsers?: string[];
  /** A paused queue takes submits and dispatches nothing. */
  paused: boolean;
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
  });
}
