// Folds a live task event into the cached task lists and the cached task, so tables and
// the detail page move without asking the server again.
import type { QueryClient } from '@tanstack/react-query';
import type { LiveTaskEvent, Task, TaskPage } from '../api/types';
import { adminKeys } from '../admin/admin-keys';
import { sweepKeys } from '../sweeps/sweep-keys';
import { foldTaskEvent, foldTaskEventIntoPage } from '../tasks/fold-task-event';
import { taskKeys } from '../tasks/task-queries';

const FIGURES_OF_TASK_STATUSES = [adminKeys.queues, sweepKeys.all];

export function applyTaskEvent(queryClient: QueryClient, event: LiveTaskEvent): void {
  queryClient.setQueriesData<TaskPage>({ queryKey: taskKeys.lists() }, (page) =>
    page ? foldTaskEventIntoPage(page, event) : page,
  );
  queryClient.setQueryData<Task>(taskKeys.detail(event.taskId), (task) =>
    task ? foldTaskEvent(task, event) : task,
  );
  // What a status change brings beyond the status (attempts, events, exit code, waiting)
  // is read again, only for a task someone has open.
  if (event.kind === 'status') {
    void queryClient.invalidateQueries({ queryKey: taskKeys.related(event.taskId) });
    // Figures made of task statuses (a queue's counts, a sweep's progress) are read again
    // where a page shows them; a burst of events shares the read already under way.
    for (const queryKey of FIGURES_OF_TASK_STATUSES)
      void queryClient.invalidateQueries({ queryKey }, { cancelRefetch: false });
  }
}
