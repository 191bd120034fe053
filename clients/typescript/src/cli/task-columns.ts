// How tasks look in a table.
import type { Task, TaskStatus } from '../types';
import type { Column } from './table';
import { out } from './terminal';

export function paintStatus(status: TaskStatus): (text: string) => string {
  if (status === 'succeeded') return out.green;
  if (status === 'running' || status === 'cancelling') return out.cyan;
  if (status === 'failed' || status === 'timed_out' || status === 'lost') return out.red;
  return out.dim;
}

export const TASK_COLUMNS: Column<Task>[] = [
  { header: 'ID', value: (task) => task.id },
  { header: 'NAME', value: (task) => task.name, flexible: true },
  {
    header: 'STATUS',
    value: (task) => task.status,
    paint: (text, task) => paintStatus(task.status)(text),
  },
  { header: 'QUEUE', value: (task) => task.queue, flexible: true },
  { header: 'PROGRESS', value: (task) => `${Math.round(task.progress * 100)}%` },
  { header: 'AGE', value: (task) => age(task.createdAt) },
];

/** `42s`, `5m`, `3h`, `2d`: how long ago. */
export function age(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}
