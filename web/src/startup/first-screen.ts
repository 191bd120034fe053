// What the first screen needs, started as early as it can be: the task list's code as the
// app starts (not when the session check lets its route render), and its rows as soon as
// the live event stream is up, even if the page's code is still on its way. Not sooner:
// rows read before the stream listens could miss a change made in between, and stay
// stale (the page waits for the stream too). The page's useQuery finds the prefetched
// query under the same key and reuses it.
import type { QueryClient } from '@tanstack/react-query';
import { queryFromParams } from '../tasks/list-query';
import { fetchTasks, taskKeys } from '../tasks/task-queries';

const isTaskList = (pathname: string) => pathname === '/tasks' || pathname === '/';

export const loadTaskListPage = () => import('../pages/TaskListPage');

/** Starts loading the opened page's code, when the first screen is the task list. */
export function preloadFirstPage(location: Location = window.location): void {
  if (isTaskList(location.pathname)) void loadTaskListPage();
}

/** Starts reading the task list the URL asks for; the page picks the answer up. */
export function prefetchFirstScreen(
  queryClient: QueryClient,
  location: Location = window.location,
): void {
  if (!isTaskList(location.pathname)) return;
  const query = queryFromParams(new URLSearchParams(location.search));
  void queryClient.prefetchQuery({
    queryKey: taskKeys.list(query),
    queryFn: () => fetchTasks(query),
  });
}
