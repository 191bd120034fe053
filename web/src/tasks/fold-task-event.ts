// What a live task event changes in a task as the console shows it.
import type { LiveTaskEvent, Task, TaskPage } from '../api/types';

export function foldTaskEvent<T extends Task>(task: T, event: LiveTaskEvent): T {
  if (task.id !== event.taskId) return task;
  if (event.kind === 'progress') return { ...task, progress: event.progress ?? task.progress };
  return {
    ...task,
    status: event.to,
    attempt: Math.max(task.attempt, event.attempt ?? 0),
    progress: event.to === 'succeeded' ? 1 : task.progress,
  };
}

export function foldTaskEventIntoPage(page: TaskPage, event: LiveTaskEvent): TaskPage {
  return { ...page, items: page.items.map((task) => foldTaskEvent(task, event)) };
}
