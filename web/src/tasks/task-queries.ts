// Query keys and fetchers of tasks, shared by the pages and the live event stream.
import { kiln, unwrap } from '../api/kiln';
import type { TaskListQuery } from '../api/types';

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

export const fetchTasks = (query: TaskListQuery) =>
  unwrap(kiln.api.GET('/api/v1/tasks', { params: { query } }));

export const fetchTask = (id: string) =>
  unwrap(kiln.api.GET('/api/v1/tasks/{id}', { params: { path: { id } } }));

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
