// The state machine of one attempt (one try of a task on a runtime), beside the task's
// (task-status.ts). The task's status decides what happens next; the attempt's records
// how that try went. Every change is a conditional UPDATE naming the allowed sources, so
// an attempt that has ended is never rewritten by a late actor.
export enum AttemptStatus {
  Queued = 'queued',
  Running = 'running',
  Succeeded = 'succeeded',
  Failed = 'failed',
  TimedOut = 'timed_out',
  Cancelled = 'cancelled',
  Lost = 'lost',
}

export const ATTEMPT_STATUSES = Object.values(AttemptStatus);

const ENDINGS = [
  AttemptStatus.Succeeded,
  AttemptStatus.Failed,
  AttemptStatus.TimedOut,
  AttemptStatus.Cancelled,
  AttemptStatus.Lost,
];

/** From each status, the statuses it may move to. Everything else is refused. */
export const ATTEMPT_TRANSITIONS: Readonly<Record<AttemptStatus, readonly AttemptStatus[]>> = {
  // A queued attempt may end without having been marked running: a cancel before the
  // launch, a worker that died between the task's start and the attempt's, a run the
  // reconciler adopted and saw end.
  [AttemptStatus.Queued]: [AttemptStatus.Running, ...ENDINGS],
  [AttemptStatus.Running]: ENDINGS,
  [AttemptStatus.Succeeded]: [],
  [AttemptStatus.Failed]: [],
  [AttemptStatus.TimedOut]: [],
  [AttemptStatus.Cancelled]: [],
  [AttemptStatus.Lost]: [],
};

/** The statuses from which an attempt may reach `to`. */
export function attemptSourcesOf(to: AttemptStatus): AttemptStatus[] {
  return ATTEMPT_STATUSES.filter((from) => ATTEMPT_TRANSITIONS[from].includes(to));
}
