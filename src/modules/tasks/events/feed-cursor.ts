// The Last-Event-ID of GET /api/v1/events. The feed merges two logs, each with its own
// sequence, so an event's id names a position in both: `<task event id>:<service event
// id>`, the last event of each log sent before and including this one. A bare number is
// a task event id (what the feed sent before service events joined it, and what
// GET /tasks/{id}/events lists): the task log resumes after it and the service log from
// the time of the reconnect.
export interface FeedCursor {
  task: number;
  service: number;
}

export type ResumePoint = { task: number; service?: number };

const TASK_ONLY = /^(\d{1,15})$/;
const BOTH = /^(\d{1,15}):(\d{1,15})$/;

/** Where a reconnecting client stopped, or undefined for no (or an unreadable) id. */
export function resumePointOf(header: string | string[] | undefined): ResumePoint | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const both = BOTH.exec(value);
  if (both) return { task: Number(both[1]), service: Number(both[2]) };
  const taskOnly = TASK_ONLY.exec(value);
  return taskOnly ? { task: Number(taskOnly[1]) } : undefined;
}

export function formatCursor(cursor: FeedCursor): string {
  return `${cursor.task}:${cursor.service}`;
}
