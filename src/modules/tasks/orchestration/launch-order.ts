// The work order the dispatcher puts on the job queue: launch this attempt of this
// task. It carries no state; the worker reads the task and acts only if it still fits.
export const LAUNCH_JOB_QUEUE = 'task-launch';

export interface LaunchOrder {
  taskId: string;
  attempt: number;
}

/** One job per attempt, so a repeated enqueue of the same attempt is de-duplicated. */
export function launchJobId(order: LaunchOrder): string {
  return `${order.taskId}.${order.attempt}`;
}
