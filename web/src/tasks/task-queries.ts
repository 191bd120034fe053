// Query keys and fetchers of tasks, shared by the pages and the live event stream.
import { kiln, unwrap } from '../api/kiln';
import type { TaskListQuery } from '../api/types';
import { readMissingNothing } from '../live/task-event-feed';
import { foldTaskEvent, foldTaskEventIntoPage } from './fold-task-event';

export const taskKeys = {
  all: ['tasks'] as const,
  lists: () => ['tasks', 'list'] as const,
  list: (query: TaskListQuery) => ['tasks', 'list', query] as const,
  detail: (id: string) => ['tasks', 'detail', id] as const,
  /** Everything about one task other than the task itself. */
  related: (id: string) => ['tasks', 'related', id] as const,
  attempts: (id: string) => ['tasks', 'related', id, 'attempts'] as const,
  events: (id: string) => ['tasks', 'related', id, 'events'] as const,
  metrics: (id: string, attempt: number) => ['tasks', 'related', id, 'metrics', attempt] as const,
  artifacts: (id: string, attempt?: number) =>
    ['tasks', 'related', id, 'artifacts', attempt ?? 'latest'] as const,
};

// A task or a list read while the live stream is up misses no change: what arrives during
// the read is folded into the answer.
export const fetchTasks = (query: TaskListQuery) =>
  readMissingNothing(
    () => unwrap(kiln.api.GET('/api/v1/tasks', { params: { query } })),
    foldTaskEventIntoPage,
  );

export const fetchTask = (id: string) =>
  readMissingNothing(
    () => unwrap(kiln.api.GET('/api/v1/tasks/{id}', { params: { path: { id } } })),
    foldTaskEvent,
  );

export const fetchAttempts = (id: string) =>
  unwrap(kiln.api.GET('/api/v1/tasks/{id}/attempts', { params: { path: { id } } }));

export const fetchEvents = (id: string) =>
  unwrap(kiln.api.GET('/api/v1/tasks/{id}/events', { params: { path: { id } } }));

export const fetchMetrics = (id: string, attempt: number) =>
  unwrap(
    kiln.api.GET('/api/v1/tasks/{id}/metrics', {
      params: { path: { id }, query: { attempt, maxPoints: 2000 } },
    }),
  );

export const fetchArtifacts = (id: string, attempt?: number) =>
  unwrap(
    kiln.api.GET('/api/v1/tasks/{id}/artifacts', {
      params: { path: { id }, query: attempt ? { attempt } : {} },
    }),
  );
