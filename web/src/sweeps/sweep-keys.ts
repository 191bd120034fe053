// Query keys of sweeps. A trial's status change on the event stream reads them again
// (live/apply-task-event.ts), so progress and the leaderboard move without polling.
export const sweepKeys = {
  all: ['sweeps'] as const,
  list: () => ['sweeps', 'list'] as const,
  detail: (id: string) => ['sweeps', 'detail', id] as const,
};
