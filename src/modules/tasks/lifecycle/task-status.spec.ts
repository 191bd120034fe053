import {
  FINAL_STATUSES,
  TRANSITIONS,
  TaskStatus,
  assertTransition,
  sourcesOf,
} from './task-status';

describe('task state machine', () => {
  it('lets nothing leave succeeded', () => {
    expect(TRANSITIONS[TaskStatus.Succeeded]).toEqual([]);
    expect(() => assertTransition(TaskStatus.Succeeded, TaskStatus.Pending)).toThrow(
      'The task is succeeded; it cannot become pending.',
    );
  });

  it('lets every final status except succeeded be retried, and nothing else revive it', () => {
    for (const status of FINAL_STATUSES.filter((s) => s !== TaskStatus.Succeeded)) {
      expect(TRANSITIONS[status]).toEqual([TaskStatus.Pending]);
    }
  });

  it('cancels pending and queued tasks at once and running ones through cancelling', () => {
    expect(sourcesOf(TaskStatus.Cancelled).sort()).toEqual(
      [TaskStatus.Pending, TaskStatus.Queued, TaskStatus.Cancelling, TaskStatus.Lost].sort(),
    );
    expect(sourcesOf(TaskStatus.Cancelling)).toEqual([TaskStatus.Running]);
  });

  it('launches only queued tasks', () => {
    expect(sourcesOf(TaskStatus.Running)).toEqual([TaskStatus.Queued]);
  });
});
