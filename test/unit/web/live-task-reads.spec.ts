// The console's reads of tasks miss no live event: a change the stream delivers while a
// list or a task is loading ends up in what the page shows.
import type { LiveTaskEvent, Task, TaskPage } from '../../../web/src/api/types';
import { foldTaskEvent, foldTaskEventIntoPage } from '../../../web/src/tasks/fold-task-event';
import { publishTaskEvent, readMissingNothing } from '../../../web/src/live/task-event-feed';

const task = (id: string, status: Task['status']) =>
  ({ id, status, attempt: 1, progress: 0.5 }) as Task;

const statusEvent = (taskId: string, to: Task['status']) =>
  ({ taskId, kind: 'status', to, attempt: 1 }) as LiveTaskEvent;

/** A read in flight, folding with `fold`, that answers `value` when told to. */
function readInFlight<T>(fold: (value: T, event: LiveTaskEvent) => T) {
  let answer!: (value: T) => void;
  const reading = readMissingNothing(() => new Promise<T>((resolve) => (answer = resolve)), fold);
  return { reading, answer: (value: T) => answer(value) };
}

describe('reading tasks while the live stream is up', () => {
  it('folds a status change that arrives while the list is in flight into the rows read', async () => {
    const { reading, answer } = readInFlight<TaskPage>(foldTaskEventIntoPage);
    publishTaskEvent(statusEvent('a', 'succeeded'));
    answer({ items: [task('a', 'running'), task('b', 'running')], nextCursor: null });
    const page = await reading;
    expect(page.items.map((row) => [row.id, row.status, row.progress])).toEqual([
      ['a', 'succeeded', 1],
      ['b', 'running', 0.5],
    ]);
  });

  it('applies several changes in the order they arrived', async () => {
    const { reading, answer } = readInFlight<Task>(foldTaskEvent);
    publishTaskEvent(statusEvent('a', 'running'));
    publishTaskEvent(statusEvent('a', 'failed'));
    answer(task('a', 'queued'));
    await expect(reading).resolves.toMatchObject({ status: 'failed' });
  });

  it('folds only what arrived during the read: an earlier change is in the answer already', async () => {
    await expect(
      readMissingNothing(() => Promise.reject(new Error('offline')), foldTaskEvent),
    ).rejects.toThrow('offline');
    publishTaskEvent(statusEvent('a', 'running'));
    const read = await readMissingNothing(
      () => Promise.resolve(task('a', 'succeeded')),
      foldTaskEvent,
    );
    expect(read.status).toBe('succeeded');
  });

  it('leaves other tasks and progress-only changes to what they say', () => {
    expect(foldTaskEvent(task('b', 'running'), statusEvent('a', 'failed'))).toMatchObject({
      status: 'running',
    });
    const progress = { taskId: 'a', kind: 'progress', progress: 0.75 } as LiveTaskEvent;
    expect(foldTaskEvent(task('a', 'running'), progress)).toMatchObject({
      status: 'running',
      progress: 0.75,
    });
  });
});
