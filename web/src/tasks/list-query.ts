// The task list's view as URL search parameters, so a link reproduces it exactly.
import type { TaskListQuery, TaskStatus } from '../api/types';
import { TASK_STATUSES } from '../api/types';

export const PAGE_SIZES = [20, 50, 100, 200];

export function queryFromParams(params: URLSearchParams): TaskListQuery {
  const status = params
    .getAll('status')
    .filter((value): value is TaskStatus => (TASK_STATUSES as readonly string[]).includes(value));
  const limit = Number(params.get('limit'));
  const sort = params.get('sort');
  return {
    ...(status.length ? { status } : {}),
    ...(params.get('queue') ? { queue: params.get('queue')! } : {}),
    ...(params.get('nameContains') ? { nameContains: params.get('nameContains')! } : {}),
    ...(params.getAll('label').length ? { label: params.getAll('label') } : {}),
    ...(sort === 'created' || sort === 'priority' ? { sort } : {}),
    ...(PAGE_SIZES.includes(limit) ? { limit } : { limit: 50 }),
    ...(params.get('cursor') ? { cursor: params.get('cursor')! } : {}),
  };
}

export function paramsFromQuery(query: TaskListQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) value.forEach((item) => params.append(key, String(item)));
    else params.set(key, String(value));
  }
  return params;
}
